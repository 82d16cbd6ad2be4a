import ServiceLifecycle

/// The daemon's lifecycle: startup (configuration, models, streams, `READY=1`) on a dedicated
/// thread, then waits for the group's graceful shutdown (SIGTERM/SIGINT) and stops every stream
/// within `stop_timeout` (`STOPPING=1`, per-stream summaries). The group's first service, so it
/// shuts down last, after the timers and the metrics endpoint.
struct LifecycleService: Service {
    let daemon: Daemon
    let started: StartupGate

    func run() async {
        let ok = await DedicatedThread.run("facestream.startup") { daemon.start() }
        started.open(started: ok)
        guard ok else { return }
        // Cancellation (a failed service) stops the streams just as gracefully.
        try? await gracefulShutdown()
        await DedicatedThread.run("facestream.shutdown") { daemon.shutDown() }
    }
}
