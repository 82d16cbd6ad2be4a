import DetectionSinks
import FaceStreamApp
import Foundation
import Logging
import Synchronization
import SystemdSupport

/// `facestream run --config FILE`: several streams in one process, each on the video pipeline,
/// sharing compiled models; a systemd citizen.
///
/// The calling thread becomes the control loop: it starts the streams, tells systemd `READY=1`
/// (models compiled, outputs open; cameras may still be missing), then reacts to signals
/// (SIGTERM/SIGINT: graceful stop within `stop_timeout`; SIGHUP: reload and reopen outputs) and,
/// every `tick`, refreshes `STATUS=`, pings the watchdog while streams are healthy, and writes the
/// periodic summary.
public final class Daemon: Sendable {
    let configurationPath: String
    private let loggerState: Mutex<Logger>
    /// The daemon's logger, at the configured `log_level`.
    var logger: Logger { loggerState.withLock { $0 } }
    let notifier: ServiceNotifier?
    let watchdog: WatchdogSettings?
    let locator: ModelLocator
    let events = DaemonEvents()
    let tick: Duration
    /// Monotonic time, injected for tests.
    let now: @Sendable () -> Duration
    let control = Mutex(ControlState())
    let warnedAboutNotify = Atomic<Bool>(false)

    /// What the control loop owns (behind a lock so the metrics thread can read the workers).
    struct ControlState: Sendable {
        var configuration: DaemonConfiguration?
        var workers: [StreamWorker] = []
        var models: ModelCache?
    }

    /// - Parameters:
    ///   - configurationPath: the TOML file (re-read on SIGHUP).
    ///   - environment: `$NOTIFY_SOCKET`, `$WATCHDOG_USEC`, model directories.
    ///   - tick: how often status and watchdog are looked at.
    public init(
        configurationPath: String, logger: Logger = Logger(label: "facestream.daemon"),
        environment: [String: String] = ProcessInfo.processInfo.environment, tick: Duration = .milliseconds(250),
        now: @escaping @Sendable () -> Duration = Daemon.monotonicNow
    ) {
        self.configurationPath = configurationPath
        self.loggerState = Mutex(logger)
        var notifier: ServiceNotifier?
        do {
            notifier = try ServiceNotifier(environment: environment)
        } catch {
            logger.warning("\(error); not notifying systemd")
        }
        self.notifier = notifier
        self.watchdog = WatchdogSettings(environment: environment)
        self.locator = ModelLocator(environment: environment)
        self.tick = tick
        self.now = now
    }

    /// Time since an arbitrary start, from the monotonic clock.
    @Sendable public static func monotonicNow() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }

    /// Runs until SIGTERM/SIGINT; returns the exit status (78 for a bad configuration).
    public func run() -> FaceStreamExitCode {
        events.installSignalHandlers()
        let configuration: DaemonConfiguration
        switch ConfigurationChecker(locator: locator).check(path: configurationPath) {
        case .failure(let error):
            for problem in error.problems { logger.error("\(problem)") }
            return .badConfig
        case .success(let loaded):
            configuration = loaded
        }
        loggerState.withLock { $0.logLevel = configuration.global.logLevel }
        control.withLock { $0.models = ModelCache(locator: locator) }
        do {
            try apply(configuration)
        } catch {
            logger.error("\(error.message)")
            return error.exitCode
        }
        let metrics = startMetrics(configuration.global)
        defer { metrics?.stop() }
        logger.info("\(configuration.streams.count) streams running; config \(configurationPath)")
        notify([.ready, .status(statusText(rates: [:]))])
        controlLoop()
        return .success
    }

    private func controlLoop() {
        var statusRates = StreamRates()
        var summaryRates = StreamRates()
        var monitor = ProgressMonitor(stallLimit: watchdog?.timeout ?? .seconds(60))
        var pacer = watchdog.map { WatchdogPacer(interval: $0.pingInterval) }
        var lastStatus = ""
        var lastStatusAt = now()
        var lastSummaryAt = now()
        var lastLogged: [String: StreamSnapshot] = [:]
        _ = summaryRates.update(snapshots(), at: lastSummaryAt)
        while true {
            switch events.next(timeout: tick) {
            case .terminate:
                shutDown()
                return
            case .reload:
                reload()
            case nil:
                break
            }
            let current = snapshots()
            let time = now()
            if var running = pacer {
                if running.shouldPing(at: time, healthy: monitor.isHealthy(current, at: time)) { notify([.watchdog]) }
                pacer = running
            }
            let interval = control.withLock { $0.configuration?.global.statusInterval } ?? .seconds(60)
            let states = current.map { "\($0.name)=\($0.state)" }.joined(separator: ",")
            if states != lastStatus || time - lastStatusAt >= .seconds(5) {
                notify([.status(StreamReport.status(current, rates: statusRates.update(current, at: time)))])
                lastStatus = states
                lastStatusAt = time
            }
            if time - lastSummaryAt >= interval {
                let rates = summaryRates.update(current, at: time)
                for snapshot in current {
                    // A stream that ended and has not changed since its last line is not repeated.
                    let idle =
                        [.finished, .failed, .stopped].contains(snapshot.state) && lastLogged[snapshot.name] == snapshot
                    if !idle { logger.info("\(StreamReport.summary(snapshot, rate: rates[snapshot.name]))") }
                    lastLogged[snapshot.name] = snapshot
                }
                lastSummaryAt = time
            }
        }
    }

    /// Current snapshots of every stream, in configuration order.
    func snapshots() -> [StreamSnapshot] {
        control.withLock { $0.workers }.map(\.snapshot)
    }

    private func statusText(rates: [String: (input: Double, analyzed: Double)]) -> String {
        StreamReport.status(snapshots(), rates: rates)
    }

    /// Sends to systemd when there is a socket; a failure is logged once.
    func notify(_ states: [NotifyState]) {
        guard let notifier else { return }
        do {
            try notifier.send(states)
        } catch {
            if !warnedAboutNotify.exchange(true, ordering: .relaxed) { logger.warning("\(error)") }
        }
    }

    private func shutDown() {
        logger.info("stopping: finishing the frames already read")
        notify([.stopping])
        let workers = control.withLock { $0.workers }
        for worker in workers { worker.stop() }
        let timeout = control.withLock { $0.configuration?.global.stopTimeout } ?? .seconds(8)
        let deadline = now() + timeout
        for worker in workers where !worker.waitUntilStopped(timeout: max(.zero, deadline - now())) {
            logger.warning("stream \(worker.settings.name) did not stop within \(timeout); exiting anyway")
        }
        for worker in workers { logger.info("\(StreamReport.summary(worker.snapshot, rate: nil))") }
    }
}
