import DetectionSinks
import FaceStreamApp
import Foundation
import Logging

extension Daemon {
    /// A stream with the process-wide settings it depends on: a change in any of them restarts
    /// the stream on reload, while streams whose plan is unchanged are left running.
    struct StreamPlan: Equatable {
        var settings: StreamSettings
        var model: String?
        var threads: Int
        var workers: Int

        init(_ settings: StreamSettings, global: GlobalSettings) {
            self.settings = settings
            model = settings.model ?? global.model
            threads = global.threads
            workers = settings.workers ?? global.workers
        }
    }

    /// Makes `configuration` the running one: new and changed streams get their model and output
    /// first (any failure throws and nothing changes), then removed and changed streams stop,
    /// then the new ones start; unchanged streams keep running and only reopen their outputs.
    func apply(_ configuration: DaemonConfiguration) throws(FaceStreamError) {
        let (oldConfiguration, oldWorkers, cache) = control.withLock { ($0.configuration, $0.workers, $0.models) }
        guard var models = cache else { preconditionFailure("apply before the model cache exists") }
        var running: [String: (plan: StreamPlan, worker: StreamWorker)] = [:]
        if let oldConfiguration {
            for worker in oldWorkers {
                running[worker.settings.name] = (StreamPlan(worker.settings, global: oldConfiguration.global), worker)
            }
        }
        var next: [StreamWorker] = []
        var started: [StreamWorker] = []
        for settings in configuration.streams {
            let plan = StreamPlan(settings, global: configuration.global)
            if let existing = running[settings.name], existing.plan == plan {
                next.append(existing.worker)
                continue
            }
            let model = try models.model(plan.model, threads: plan.threads)
            let output: OutputHandle
            do {
                output = try OutputHandle.open(settings.output)
            } catch {
                throw FaceStreamError(.outputFailed, "stream \(settings.name): \(error.description)")
            }
            var streamLogger = logger
            streamLogger.logLevel = configuration.global.logLevel
            let worker = StreamWorker(
                settings: settings, model: model, workers: plan.workers, output: output, logger: streamLogger)
            next.append(worker)
            started.append(worker)
        }
        let kept = Set(next.map { ObjectIdentifier($0) })
        let leaving = oldWorkers.filter { !kept.contains(ObjectIdentifier($0)) }
        for worker in leaving { worker.stop() }
        let timeout = configuration.global.stopTimeout
        for worker in leaving where !worker.waitUntilStopped(timeout: timeout) {
            logger.warning("stream \(worker.settings.name) did not stop within \(timeout)")
        }
        for worker in leaving {
            logger.info(
                "stream \(worker.settings.name): stopped (\(next.contains { $0.settings.name == worker.settings.name } ? "changed" : "removed"))"
            )
        }
        for worker in next where !started.contains(where: { $0 === worker }) {
            do {
                try worker.reopenOutput()
            } catch {
                logger.error("stream \(worker.settings.name): cannot reopen output: \(error.description)")
            }
        }
        models.keepOnly(next.map(\.model))
        control.withLock {
            $0.configuration = configuration
            $0.workers = next
            $0.models = models
        }
        for worker in started {
            logger.info(
                "stream \(worker.settings.name): starting on \(worker.settings.source) (model \(worker.model.name))")
            worker.start()
        }
    }

    /// SIGHUP: re-reads the file; an invalid one is reported and the running streams stay.
    func reload() {
        notify([.reloading])
        defer { notify([.ready]) }
        logger.info("reloading \(configurationPath)")
        switch ConfigurationChecker(locator: locator).check(path: configurationPath) {
        case .failure(let error):
            for problem in error.problems { logger.error("reload rejected: \(problem)") }
            logger.error("reload rejected: keeping the running configuration")
        case .success(let configuration):
            do {
                try apply(configuration)
                logger.info("reloaded: \(configuration.streams.count) streams")
            } catch {
                logger.error("reload rejected: \(error.message); keeping the running configuration")
            }
        }
    }
}
