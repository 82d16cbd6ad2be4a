import Synchronization

/// Turns SIGINT and SIGTERM into a graceful stop: every registered stop action runs once (stop
/// the source, let the pipeline drain). A second signal while stopping hurries: the frames still
/// in the pipeline are dropped and the outputs are finished at once (an annotated file still gets
/// its trailer, within a moment). A third ends the process at once (the default action).
public final class RunStopper: Sendable {
    /// The registered actions and what has been requested, behind one lock. Actions run outside it.
    private struct State {
        var actions: [Int: @Sendable () -> Void] = [:]
        var hurryActions: [Int: @Sendable () -> Void] = [:]
        var nextToken = 0
        var stopped = false
        var hurried = false
    }

    private let state = Mutex(State())

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
    public var isHurried: Bool { state.withLock { $0.hurried } }

    /// Runs every registered hurry action (and any registered later) once, after `stop()`.
    public func hurry() {
        stop()
        let pending = state.withLock { state in
            state.hurried = true
            return Array(state.hurryActions.values)
        }
        for action in pending { action() }
    }

    /// True once a stop was requested.
    public var isStopped: Bool { state.withLock { $0.stopped } }

    /// Runs every registered action (and any registered later) once.
    public func stop() {
        let pending = state.withLock { state in
            state.stopped = true
            return Array(state.actions.values)
        }
        for action in pending { action() }
    }

    func register(_ action: @escaping @Sendable () -> Void, hurry: (@Sendable () -> Void)? = nil) -> Int {
        let (token, alreadyStopped, alreadyHurried) = state.withLock { state in
            state.nextToken += 1
            state.actions[state.nextToken] = action
            if let hurry { state.hurryActions[state.nextToken] = hurry }
            return (state.nextToken, state.stopped, state.hurried)
        }
        if alreadyStopped { action() }
        if alreadyHurried { hurry?() }
        return token
    }

    func unregister(_ token: Int) {
        state.withLock { state in
            state.actions[token] = nil
            state.hurryActions[token] = nil
        }
    }
}
