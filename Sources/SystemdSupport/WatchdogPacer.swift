/// Decides when to send `WATCHDOG=1`: every `interval` while the service is healthy, never
/// while it is not (so the manager's timeout fires and restarts a stuck service).
///
/// Time is passed in by the caller (a monotonic reading from an injected clock), so tests drive
/// it with plain values.
public struct WatchdogPacer: Sendable {
    /// The ping period (half the manager's timeout).
    public let interval: Duration
    private var lastPing: Duration?

    /// A pacer that pings every `interval`.
    public init(interval: Duration) {
        precondition(interval > .zero, "watchdog interval must be positive")
        self.interval = interval
    }

    /// True when a ping is due at `now` and the service is `healthy`; records the ping.
    /// An unhealthy service never pings, so the last ping ages until the manager acts.
    public mutating func shouldPing(at now: Duration, healthy: Bool) -> Bool {
        guard healthy else { return false }
        if let lastPing, now - lastPing < interval { return false }
        lastPing = now
        return true
    }

    /// When the next ping falls due (now, when none was sent yet).
    public func nextPing(after now: Duration) -> Duration {
        guard let lastPing else { return now }
        return max(now, lastPing + interval)
    }
}
