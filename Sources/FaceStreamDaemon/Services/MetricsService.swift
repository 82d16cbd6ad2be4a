import ServiceLifecycle

/// Serves `GET /metrics` on the endpoint bound during startup (so a port in use is reported
/// before `READY=1`) until the graceful shutdown; nothing when no endpoint is configured.
struct MetricsService: Service {
    let daemon: Daemon
    let started: StartupGate

    func run() async {
        guard await started.wait(), let server = daemon.metricsServer else { return }
        server.start()
        try? await gracefulShutdown()
        server.stop()
    }
}
