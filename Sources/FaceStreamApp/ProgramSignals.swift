import Dispatch
import Foundation
import Synchronization
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
    /// dispatch queue (keep it short and non-blocking). Registered when this returns.
    ///
    /// For the one-shot commands: a dispatch source per signal, the mechanism
    /// `UnixSignalsSequence` is built on, without starting the concurrency pool (three threads
    /// and about 3 MiB that a `detect` run has no other use for).
    public static func handle(_ signals: [UnixSignal], with handler: @escaping @Sendable (UnixSignal) -> Void) {
        for unixSignal in signals {
            signal(unixSignal.rawValue, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: unixSignal.rawValue, queue: handlerQueue)
            source.setEventHandler { handler(unixSignal) }
            source.resume()
            installed.withLock { $0.append(SignalSource(source: source)) }
        }
    }

    /// The queue `handle`'s handlers run on.
    private static let handlerQueue = DispatchQueue(label: "facestream.signals")
    /// The dispatch sources of `handle`, kept for the life of the process.
    private static let installed = Mutex<[SignalSource]>([])

    /// A dispatch source kept alive; `@unchecked Sendable`: it is only stored, never touched again.
    private struct SignalSource: @unchecked Sendable {
        let source: any DispatchSourceSignal
    }

    /// Gives `signal` its default action back (the next delivery ends the process at once).
    public static func restoreDefaultAction(_ unixSignal: UnixSignal) {
        signal(unixSignal.rawValue, SIG_DFL)
    }
}
