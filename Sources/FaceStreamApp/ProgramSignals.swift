import Dispatch
import Foundation
import UnixSignals

/// The one place `facestream` takes Unix signals over from their default action, on top of
/// ServiceLifecycle's `UnixSignalsSequence`. `detect` routes SIGINT/SIGTERM to its `RunStopper`
/// here; the daemon traps SIGHUP (reload) here and leaves SIGTERM/SIGINT to its `ServiceGroup`.
///
/// A signal must be trapped by one owner only: a second `UnixSignalsSequence` for the same
/// signal would race the first for each delivery.
public enum ProgramSignals {
    /// Traps `signals` for as long as the returned sequence lives and yields each delivery.
    ///
    /// The default action of each signal is turned off first (`SIG_IGN`), so a signal that
    /// arrives while the handler registers cannot end the process; the sequence is registered
    /// when this returns, and deliveries are buffered until they are read.
    public static func trap(_ signals: [UnixSignal]) async -> UnixSignalsSequence {
        for unixSignal in signals { signal(unixSignal.rawValue, SIG_IGN) }
        return await UnixSignalsSequence(trapping: signals)
    }

    /// Traps `signals` for the rest of the process and calls `handler` for each delivery, on a
    /// task of the concurrency pool (keep it short and non-blocking).
    ///
    /// For synchronous callers (the one-shot commands): blocks the calling thread until the
    /// handler is registered, so never call it from a task.
    public static func handle(_ signals: [UnixSignal], with handler: @escaping @Sendable (UnixSignal) -> Void) {
        let registered = DispatchSemaphore(value: 0)
        Task.detached {
            let deliveries = await trap(signals)
            registered.signal()
            for await delivered in deliveries { handler(delivered) }
        }
        registered.wait()
    }

    /// Gives `signal` its default action back (the next delivery ends the process at once).
    public static func restoreDefaultAction(_ unixSignal: UnixSignal) {
        signal(unixSignal.rawValue, SIG_DFL)
    }
}
