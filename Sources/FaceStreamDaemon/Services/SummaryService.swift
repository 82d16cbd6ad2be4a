import ServiceLifecycle

/// Every `status_interval` (looked at every `tick`, so a reload's new interval applies at once):
/// one summary log line per stream, as `SummaryLog` decides.
struct SummaryService: Service {
    let daemon: Daemon
    let started: StartupGate

    func run() async {
        guard await started.wait() else { return }
        try? await cancelWhenGracefulShutdown { [daemon] in
            var summary = SummaryLog(daemon.snapshots(), at: daemon.now())
            while true {
                try await Task.sleep(for: daemon.tick)
                let interval = daemon.configuration?.global.statusInterval ?? .seconds(60)
                for line in summary.lines(daemon.snapshots(), at: daemon.now(), interval: interval) {
                    daemon.logger.info("\(line)")
                }
            }
        }
    }
}
