/// Waits between reconnect attempts of a live source. Injected so back-off can be tested without
/// waiting: a test double records the delays it is asked for and returns at once.
public protocol BackoffSleeper: Sendable {
    /// Blocks for `delay`, or less when `stop` fires (then it must return promptly).
    /// Called on the source's own thread.
    func sleep(for delay: Duration, unlessFired stop: StopSignal)
}

/// Sleeps on real time; `stop()` of the source wakes it at once.
public struct SystemBackoffSleeper: BackoffSleeper {
    public init() {}

    public func sleep(for delay: Duration, unlessFired stop: StopSignal) {
        stop.wait(for: delay)
    }
}
