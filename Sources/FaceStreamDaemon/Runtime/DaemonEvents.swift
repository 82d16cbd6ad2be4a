import Dispatch
import FaceStreamApp
import Foundation
import Synchronization

/// What the daemon's control loop reacts to.
enum DaemonEvent: Sendable, Equatable {
    /// SIGTERM or SIGINT: stop gracefully.
    case terminate
    /// SIGHUP: reload the configuration and reopen outputs.
    case reload
}

/// Signals turned into events for the control loop: handlers only enqueue, the loop waits.
final class DaemonEvents: Sendable {
    private let pending = Mutex<[DaemonEvent]>([])
    private let available = DispatchSemaphore(value: 0)
    /// Kept alive for the process's lifetime; written once, by `installSignalHandlers`.
    private nonisolated(unsafe) var sources: [DispatchSourceSignal] = []

    /// Routes SIGTERM and SIGINT to `.terminate`, SIGHUP to `.reload` (call once).
    func installSignalHandlers() {
        for (number, event) in [(SIGTERM, DaemonEvent.terminate), (SIGINT, .terminate), (SIGHUP, .reload)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.post(event) }
            source.resume()
            sources.append(source)
        }
    }

    /// Queues an event (from any thread).
    func post(_ event: DaemonEvent) {
        pending.withLock { $0.append(event) }
        available.signal()
    }

    /// The next event, or nil when `timeout` passes first.
    func next(timeout: Duration) -> DaemonEvent? {
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        guard available.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success else { return nil }
        return pending.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}
