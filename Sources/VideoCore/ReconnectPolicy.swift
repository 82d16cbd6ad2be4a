/// How a live source that dropped is opened again: exponential back-off between attempts.
///
/// The delay before attempt `n` (1-based) is `initialDelay * factor^(n-1)`, capped at `maximumDelay`.
/// After a successful reconnect the count starts again at 1.
public struct ReconnectPolicy: Sendable, Equatable {
    /// Delay before the first attempt; default 0.5 s.
    public var initialDelay: Duration
    /// Growth of the delay per failed attempt; default 2. Values below 1 are treated as 1.
    public var factor: Double
    /// Upper bound of the delay; default 30 s.
    public var maximumDelay: Duration
    /// Attempts per loss before the source gives up and throws; nil (default) tries forever.
    public var maximumAttempts: Int?

    /// A policy; the defaults are 0.5 s, x2, at most 30 s, unlimited attempts.
    public init(
        initialDelay: Duration = .milliseconds(500), factor: Double = 2, maximumDelay: Duration = .seconds(30),
        maximumAttempts: Int? = nil
    ) {
        self.initialDelay = initialDelay
        self.factor = factor
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    /// Never reconnect: the first loss ends the source with an error.
    public static let never = ReconnectPolicy(maximumAttempts: 0)

    /// The wait before attempt `attempt` (1 for the first).
    public func delay(beforeAttempt attempt: Int) -> Duration {
        precondition(attempt >= 1, "reconnect attempts count from 1, got \(attempt)")
        var delay = initialDelay
        let growth = max(1, factor)
        for _ in 1..<attempt {
            if delay >= maximumDelay { break }
            delay = delay * growth
        }
        return min(delay, maximumDelay)
    }

    /// Whether attempt `attempt` (1 for the first) is allowed.
    public func allows(attempt: Int) -> Bool {
        maximumAttempts.map { attempt <= $0 } ?? true
    }
}
