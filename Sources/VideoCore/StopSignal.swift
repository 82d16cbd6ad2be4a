import CoreSupport
import Foundation
import Synchronization

/// A one-way latch that tells a source's blocking work to give up: FFmpeg reads (through the
/// interrupt callback), reads from a pipe and back-off sleeps all check it.
///
/// Once fired it stays fired. `@unchecked Sendable`: `isFired` is an atomic and the condition
/// variable is only used under its own lock.
public final class StopSignal: @unchecked Sendable {
    private let fired = Atomic<Bool>(false)
    private let condition = NSCondition()

    /// A signal that has not fired.
    public init() {}

    /// True once `fire()` was called. Cheap (one atomic load); safe from any thread.
    public var isFired: Bool { fired.load(ordering: .acquiring) }

    /// Fires the signal and wakes every `wait(for:)`. Idempotent; safe from any thread.
    public func fire() {
        condition.lock()
        fired.store(true, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks for `duration` of real time or until the signal fires, whichever comes first.
    /// Returns true when the signal has fired.
    @discardableResult
    public func wait(for duration: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, duration.inSeconds))
        condition.lock()
        defer { condition.unlock() }
        while !isFired {
            if !condition.wait(until: deadline) { break }
        }
        return isFired
    }
}
