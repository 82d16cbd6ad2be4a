import VideoCore

/// What a stream does after one run of its pipeline ended, and how long it waits before the next
/// one: a value type, so the back-off is tested with plain values (no threads, no clock).
///
/// A live source (URL, camera) is started again forever, with a delay that grows per run that
/// delivered no frame and starts over after a run that did; a file ends the stream.
struct StreamRestart: Sendable {
    /// The decision after a run.
    enum Decision: Sendable, Equatable {
        /// A stop was asked for: the stream ends as `stopped`.
        case stop
        /// A file read to its end: the stream ends as `finished`.
        case finish
        /// A file that cannot be read: the stream ends as `failed`.
        case fail
        /// A live source ended or failed: wait, then start again.
        case retry
    }

    /// Delays between runs.
    let policy: ReconnectPolicy
    /// Runs in a row that delivered no frame (the delay's attempt number).
    private(set) var attempt = 0

    init(policy: ReconnectPolicy) {
        self.policy = policy
    }

    /// The decision after a run that ended (`failed`: with an error) while `stopRequested`
    /// said whether a stop was asked for and `live` whether the source is a live one.
    static func decision(failed: Bool, stopRequested: Bool, live: Bool) -> Decision {
        if stopRequested { return .stop }
        if live { return .retry }
        return failed ? .fail : .finish
    }

    /// The wait before the next run, after a run that did or did not deliver frames.
    mutating func delay(afterRunDeliveringFrames delivered: Bool) -> Duration {
        attempt = delivered ? 1 : attempt + 1
        return policy.delay(beforeAttempt: max(1, attempt))
    }
}
