import CoreSupport

/// Decides which failed reconnect attempts get a log line: one per back-off step, saying why the
/// attempt failed and when the next comes. An attempt with the same reason and the same wait as
/// the last one reported (the back-off at its maximum, the same error) is not repeated, so a
/// source that stays away for a day logs a handful of lines, not thousands.
public struct RetryReport: Sendable {
    private var last: (reason: String, delay: Duration)?

    /// Nothing reported yet.
    public init() {}

    /// The line to log for an attempt that failed with `reason`, the next one coming after
    /// `delay`; nil when the same line was the last one logged.
    public mutating func line(reason: String, nextAttemptIn delay: Duration) -> String? {
        if let last, last.reason == reason, last.delay == delay { return nil }
        last = (reason, delay)
        return "\(reason); next attempt in \(Self.format(delay))"
    }

    /// `0.5 s`, `2 s`, `30 s`.
    static func format(_ delay: Duration) -> String {
        let seconds = delay.inSeconds
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\((seconds * 10).rounded() / 10) s"
    }
}
