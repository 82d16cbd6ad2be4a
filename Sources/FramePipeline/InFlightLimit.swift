import Foundation

/// A counting gate: at most `limit` permits out at once; `acquire()` waits for one.
///
/// `@unchecked Sendable`: `available` is read and written only while `condition` is held.
final class InFlightLimit: @unchecked Sendable {
    private let condition = NSCondition()
    private var available: Int

    init(limit: Int) {
        precondition(limit >= 1, "InFlightLimit needs a limit of at least 1")
        available = limit
    }

    /// Takes a permit, waiting (on a dedicated thread) until one is free.
    func acquire() {
        condition.lock()
        while available == 0 { condition.wait() }
        available -= 1
        condition.unlock()
    }

    /// Returns a permit.
    func release() {
        condition.lock()
        available += 1
        condition.signal()
        condition.unlock()
    }
}
