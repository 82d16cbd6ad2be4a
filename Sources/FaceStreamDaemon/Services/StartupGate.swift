import Synchronization

/// Opened once by `LifecycleService` when the daemon's startup ended: the other services wait
/// for it before they touch the streams, and learn whether startup succeeded.
final class StartupGate: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Bool, Never>])
        case open(started: Bool)
    }

    private let state = Mutex(State.waiting([]))

    init() {}

    /// Opens the gate (the first call counts); `started` is false when startup failed.
    func open(started: Bool) {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .open(started: started)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: started) }
    }

    /// Waits until the gate is open; true when startup succeeded.
    func wait() async -> Bool {
        await withCheckedContinuation { continuation in
            let result = state.withLock { state -> Bool? in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .open(let started):
                    return started
                }
            }
            if let result { continuation.resume(returning: result) }
        }
    }
}
