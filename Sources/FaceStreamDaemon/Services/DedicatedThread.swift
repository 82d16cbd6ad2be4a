import Foundation

/// Blocking work (compiling models, waiting for streams to stop) awaited from a service without
/// holding a thread of the cooperative pool.
enum DedicatedThread {
    /// Runs `body` on a new thread named `name` and returns its result.
    static func run<Result: Sendable>(_ name: String, _ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
