import Foundation

/// Turns SIGINT and SIGTERM into a graceful stop: every registered stop action runs once (stop
/// the source, let the pipeline drain). A second signal while stopping hurries: the frames still
/// in the pipeline are dropped and the outputs are finished at once (an annotated file still gets
/// its trailer, within a moment). A third ends the process at once (the default action).
public final class RunStopper: @unchecked Sendable {
    // Invariant: `actions`, `hurryActions`, `stopped` and `hurried` are only touched with `lock` held.
    private let lock = NSLock()
    private var actions: [Int: @Sendable () -> Void] = [:]
    private var hurryActions: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0
    private var stopped = false
    private var hurried = false

    public init() {}

    /// Routes SIGINT and SIGTERM to `stop()` through `ProgramSignals` (call once, from the
    /// executable's thread, never from a task): the first of them stops gracefully and gives
    /// that signal its default action back for the next delivery.
    public func installSignalHandlers() {
        ProgramSignals.handle([.sigint, .sigterm]) { [weak self] delivered in
            guard let self else { return }
            if isStopped {
                hurry()
                ProgramSignals.restoreDefaultAction(delivered)
            } else {
                stop()
            }
        }
    }

    /// True once a hurried stop was requested.
    public var isHurried: Bool { lock.withLock { hurried } }

    /// Runs every registered hurry action (and any registered later) once, after `stop()`.
    public func hurry() {
        stop()
        let pending = lock.withLock {
            hurried = true
            return Array(hurryActions.values)
        }
        for action in pending { action() }
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

    func register(_ action: @escaping @Sendable () -> Void, hurry: (@Sendable () -> Void)? = nil) -> Int {
        let (token, alreadyStopped, alreadyHurried) = lock.withLock {
            nextToken += 1
            actions[nextToken] = action
            if let hurry { hurryActions[nextToken] = hurry }
            return (nextToken, stopped, hurried)
        }
        if alreadyStopped { action() }
        if alreadyHurried { hurry?() }
        return token
    }

    func unregister(_ token: Int) {
        _ = lock.withLock {
            actions.removeValue(forKey: token)
            hurryActions.removeValue(forKey: token)
        }
    }
}
