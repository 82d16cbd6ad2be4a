import SystemdSupport

/// The decisions of the daemon's status tick, as a value type driven with plain time readings:
/// `WATCHDOG=1` every ping interval while every stream makes progress (never while one is
/// stalled), and `STATUS=` whenever a stream changes state or 5 s passed since the last one.
struct StatusTicker {
    /// The longest a STATUS line is left unchanged while the streams' states stay the same.
    static let statusRefresh: Duration = .seconds(5)

    private var rates = StreamRates()
    private var monitor: ProgressMonitor
    private var pacer: WatchdogPacer?
    private var lastStates = ""
    private var lastStatusAt: Duration

    /// A ticker for a service with `watchdog` (nil: not watched), started at `now`.
    init(watchdog: WatchdogSettings?, now: Duration) {
        monitor = ProgressMonitor(stallLimit: watchdog?.timeout ?? .seconds(60))
        pacer = watchdog.map { WatchdogPacer(interval: $0.pingInterval) }
        lastStatusAt = now
    }

    /// The notifications due at `now` for the streams' current `snapshots`, in sending order.
    mutating func tick(_ snapshots: [StreamSnapshot], at now: Duration) -> [NotifyState] {
        var due: [NotifyState] = []
        if var running = pacer {
            if running.shouldPing(at: now, healthy: monitor.isHealthy(snapshots, at: now)) { due.append(.watchdog) }
            pacer = running
        }
        let states = snapshots.map { "\($0.name)=\($0.state)" }.joined(separator: ",")
        if states != lastStates || now - lastStatusAt >= Self.statusRefresh {
            due.append(.status(StreamReport.status(snapshots, rates: rates.update(snapshots, at: now))))
            lastStates = states
            lastStatusAt = now
        }
        return due
    }
}
