import Foundation

/// Runs `body` on a new dedicated thread and waits for its result without blocking the
/// cooperative pool: blocking queue calls in tests belong on threads of their own.
func onThread<T: Sendable>(_ name: String = "test", _ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.name = name
        thread.start()
    }
}
