import Foundation

/// Turns SIGINT and SIGTERM into a graceful stop: every registered action runs once (stop the
/// source, let the pipeline drain). A second signal while stopping leaves the default behaviour
/// to the next one (the process then ends at once).
public final class RunStopper: @unchecked Sendable {
    // Invariant: `actions` and `stopped` are only touched with `lock` held.
    private let lock = NSLock()
    private var actions: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0
    private var stopped = false

    public init() {}

    /// Routes SIGINT and SIGTERM to `stop()` through `ProgramSignals` (call once, from the
    /// executable's thread, never from a task): the first of them stops gracefully and gives
    /// that signal its default action back for the next delivery.
    public func installSignalHandlers() {
        ProgramSignals.handle([.sigint, .sigterm]) { [weak self] delivered in
            self?.stop()
            ProgramSignals.restoreDefaultAction(delivered)
        }
    }

    /// True once a stop was requested.
    public var isStopped: Bool { lock.withLock { stopped } }

    /// Runs every registered action (and any registered later) once.
    public func stop() {
        let pending = lock.withLock {
            stopped = true
            return Array(actions.values)
        }
        for action in pending { action() }
    }

    func register(_ action: @escaping @Sendable () -> Void) -> Int {
        let (token, alreadyStopped) = lock.withLock {
            nextToken += 1
            actions[nextToken] = action
            return (nextToken, stopped)
        }
        if alreadyStopped { action() }
        return token
    }

    func unregister(_ token: Int) {
        _ = lock.withLock { actions.removeValue(forKey: token) }
    }
}
