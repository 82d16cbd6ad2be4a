import ServiceLifecycle
import UnixSignals

/// SIGHUP: reloads the configuration and reopens the outputs, one reload at a time, on a
/// dedicated thread. The signal is trapped before startup; a SIGHUP that arrives during startup
/// is handled once the streams run.
struct ReloadService: Service {
    let daemon: Daemon
    /// Trapped by `ProgramSignals` before the group starts.
    let hangUps: UnixSignalsSequence
    let started: StartupGate

    func run() async {
        guard await started.wait() else { return }
        for await _ in hangUps.cancelOnGracefulShutdown() {
            await DedicatedThread.run("facestream.reload") { daemon.reload() }
        }
    }
}
