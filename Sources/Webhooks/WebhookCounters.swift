import Synchronization

/// Deliveries of one webhook output, counted on its delivery thread and read from any thread
/// (summaries, the daemon's metrics). The daemon keeps one per stream across restarts.
public final class WebhookCounters: Sendable {
    private let sentCount = Atomic<Int>(0)
    private let failedCount = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)
    private let attemptCount = Atomic<Int>(0)

    /// Zeroed counters.
    public init() {}

    /// Events the receiver accepted (2xx).
    public var sent: Int { sentCount.load(ordering: .relaxed) }
    /// Events given up on: attempts used up, or an answer that is not retried.
    public var failed: Int { failedCount.load(ordering: .relaxed) }
    /// Events never tried to the end: pushed out of a full queue, or still queued when the run ended.
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }
    /// Requests made, retries included.
    public var attempts: Int { attemptCount.load(ordering: .relaxed) }

    func countSent() { sentCount.add(1, ordering: .relaxed) }
    func countFailed() { failedCount.add(1, ordering: .relaxed) }
    func countDropped(_ count: Int = 1) { droppedCount.add(count, ordering: .relaxed) }
    func countAttempt() { attemptCount.add(1, ordering: .relaxed) }
}
