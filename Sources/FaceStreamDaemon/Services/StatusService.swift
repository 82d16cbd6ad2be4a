import ServiceLifecycle

/// Every `tick` once the streams run: `STATUS=` and `WATCHDOG=1` as `StatusTicker` decides.
struct StatusService: Service {
    let daemon: Daemon
    let started: StartupGate

    func run() async {
        guard await started.wait() else { return }
        try? await cancelWhenGracefulShutdown { [daemon] in
            var ticker = StatusTicker(watchdog: daemon.watchdog, now: daemon.now())
            while true {
                try await Task.sleep(for: daemon.tick)
                for state in ticker.tick(daemon.snapshots(), at: daemon.now()) { daemon.notify([state]) }
            }
        }
    }
}
