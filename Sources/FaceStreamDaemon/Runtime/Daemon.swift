import DetectionSinks
import FaceStreamApp
import Foundation
import Logging
import MQTTPublishing
import ServiceLifecycle
import Synchronization
import SystemdSupport

/// `facestream run --config FILE`: several streams in one process, each on the video pipeline,
/// sharing compiled models; a systemd citizen.
///
/// A `ServiceGroup` of services around the streams' threads: `LifecycleService` starts the
/// streams and tells systemd `READY=1` (models compiled, outputs open; cameras may still be
/// missing), and on SIGTERM/SIGINT (the group's graceful shutdown) stops them within
/// `stop_timeout`; `ReloadService` reloads on SIGHUP; `StatusService` refreshes `STATUS=` and pings
/// the watchdog while streams are healthy every `tick`; `SummaryService` writes the periodic
/// summary; `MetricsService` serves the Prometheus endpoint.
public final class Daemon: Sendable {
    let configurationPath: String
    private let loggerState: Mutex<Logger>
    /// The daemon's logger, at the configured `log_level`.
    var logger: Logger { loggerState.withLock { $0 } }
    let notifier: ServiceNotifier?
    let watchdog: WatchdogSettings?
    let locator: ModelLocator
    let tick: Duration
    /// Monotonic time, injected for tests.
    let now: @Sendable () -> Duration
    let control = Mutex(ControlState())
    let metrics = DaemonMetrics()
    let warnedAboutNotify = Atomic<Bool>(false)

    /// What the lifecycle owns (behind a lock so the other services and the metrics thread can
    /// read the workers).
    struct ControlState: Sendable {
        var configuration: DaemonConfiguration?
        var workers: [StreamWorker] = []
        var models: ModelCache?
        var metricsServer: MetricsServer?
        /// The one MQTT connection of the process (`[mqtt]`), made at startup.
        var mqtt: MQTTNode?
        var exitCode = FaceStreamExitCode.success
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

    /// `run()` for a synchronous caller (the command line): the services run on the concurrency
    /// pool while the calling thread waits for the exit status. Keeping the executable's entry
    /// point synchronous spares the one-shot commands (`detect`) the async runtime's threads and
    /// memory (about 5 MiB on a 1080p run).
    public func runBlocking() -> FaceStreamExitCode {
        let finished = DispatchSemaphore(value: 0)
        let status = Mutex(FaceStreamExitCode.success)
        Task.detached {
            let code = await self.run()
            status.withLock { $0 = code }
            finished.signal()
        }
        finished.wait()
        return status.withLock { $0 }
    }

    /// Runs until SIGTERM/SIGINT; returns the exit status (78 for a bad configuration).
    public func run() async -> FaceStreamExitCode {
        let hangUps = await ProgramSignals.trap([.sighup])
        let started = StartupGate()
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(
                service: LifecycleService(daemon: self, started: started),
                successTerminationBehavior: .gracefullyShutdownGroup),
            .init(
                service: ReloadService(daemon: self, hangUps: hangUps, started: started),
                successTerminationBehavior: .ignore),
            .init(service: StatusService(daemon: self, started: started), successTerminationBehavior: .ignore),
            .init(service: SummaryService(daemon: self, started: started), successTerminationBehavior: .ignore),
            .init(service: MetricsService(daemon: self, started: started), successTerminationBehavior: .ignore),
        ]
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("\(error)")
        }
        return control.withLock { $0.exitCode }
    }

    /// Startup, on the lifecycle's thread: reads the configuration, starts the streams, binds
    /// the metrics endpoint and sends `READY=1`. False (with the exit code recorded) on failure.
    func start() -> Bool {
        let configuration: DaemonConfiguration
        switch ConfigurationChecker(locator: locator).check(path: configurationPath) {
        case .failure(let error):
            for problem in error.problems { logger.error("\(problem)") }
            control.withLock { $0.exitCode = .badConfig }
            return false
        case .success(let loaded):
            configuration = loaded
        }
        loggerState.withLock { $0.logLevel = configuration.global.logLevel }
        control.withLock { $0.models = ModelCache(locator: locator) }
        if let options = configuration.global.mqtt {
            do {
                let node = try MQTTNode(options: options, logger: logger)
                control.withLock { $0.mqtt = node }
                node.start()
            } catch {
                logger.error("\(error.description)")
                control.withLock { $0.exitCode = .badConfig }
                return false
            }
        }
        do {
            try apply(configuration)
        } catch {
            logger.error("\(error.message)")
            control.withLock { $0.exitCode = error.exitCode }
            return false
        }
        let server = bindMetrics(configuration.global)
        control.withLock { $0.metricsServer = server }
        logger.info("\(configuration.streams.count) streams running; config \(configurationPath)")
        notify([.ready, .status(StreamReport.status(snapshots(), rates: [:]))])
        return true
    }

    /// The running configuration (nil before startup).
    var configuration: DaemonConfiguration? { control.withLock { $0.configuration } }

    /// The bound metrics endpoint (nil before startup or when none is configured).
    var metricsServer: MetricsServer? { control.withLock { $0.metricsServer } }

    /// Current snapshots of every stream, in configuration order.
    func snapshots() -> [StreamSnapshot] {
        control.withLock { $0.workers }.map(\.snapshot)
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

    /// Graceful stop, on the lifecycle's thread: every stream stops within `stop_timeout`.
    func shutDown() {
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
        // The streams wrote their last events: give them a bounded time to reach the broker,
        // then mark the node offline.
        control.withLock { $0.mqtt }?.finish()
    }

    /// The MQTT node (nil without `[mqtt]`).
    var mqtt: MQTTNode? { control.withLock { $0.mqtt } }
}
