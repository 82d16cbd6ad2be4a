import Foundation

/// A one-shot latch: `wait()` blocks (on a dedicated thread) until `open()`.
///
/// `@unchecked Sendable`: `isOpen` is read and written only while `condition` is held.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    /// Waits on a dedicated thread, so async tests do not block the cooperative pool.
    func waitOnThread() async throws {
        try await onThread("gate") { self.wait() }
    }
}
