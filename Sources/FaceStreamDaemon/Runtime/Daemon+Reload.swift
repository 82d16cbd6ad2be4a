import DetectionSinks
import FaceStreamApp
import Foundation
import Logging

extension Daemon {
    /// Makes `configuration` the running one: new and changed streams get their model and output
    /// first (any failure throws and nothing changes), then removed and changed streams stop,
    /// then the new ones start; unchanged streams keep running and only reopen their outputs.
    func apply(_ configuration: DaemonConfiguration) throws(FaceStreamError) {
        let (oldConfiguration, oldWorkers, cache) = control.withLock { ($0.configuration, $0.workers, $0.models) }
        guard var models = cache else { preconditionFailure("apply before the model cache exists") }
        let global = oldConfiguration?.global ?? configuration.global
        let diff = ReloadDiff(
            running: oldWorkers.map { StreamPlan($0.settings, global: global) },
            next: configuration.streams.map { StreamPlan($0, global: configuration.global) })
        let kept = Set(diff.kept)
        var next: [StreamWorker] = []
        var started: [StreamWorker] = []
        for settings in configuration.streams {
            if kept.contains(settings.name),
                let existing = oldWorkers.first(where: { $0.settings.name == settings.name })
            {
                next.append(existing)
                continue
            }
            let plan = StreamPlan(settings, global: configuration.global)
            let model = try models.model(
                plan.model, threads: plan.threads, inputSize: settings.inputSize, tiles: settings.tiles,
                precision: plan.precision)
            let output: OutputHandle
            do {
                output = try OutputHandle.open(settings.output)
            } catch {
                throw FaceStreamError(.outputFailed, "stream \(settings.name): \(error.description)")
            }
            var streamLogger = logger
            streamLogger.logLevel = configuration.global.logLevel
            let worker = StreamWorker(
                settings: settings, model: model, workers: plan.workers, output: output, logger: streamLogger,
                latency: metrics.start(stream: settings.name, webhook: settings.outputs.webhook != nil),
                mqtt: control.withLock { $0.mqtt })
            next.append(worker)
            started.append(worker)
        }
        let leaving = oldWorkers.filter { !kept.contains($0.settings.name) }
        for worker in leaving { worker.stop() }
        let timeout = configuration.global.stopTimeout
        for worker in leaving where !worker.waitUntilStopped(timeout: timeout) {
            logger.warning("stream \(worker.settings.name) did not stop within \(timeout)")
        }
        for worker in leaving {
            logger.info(
                "stream \(worker.settings.name): stopped (\(diff.restarted.contains(worker.settings.name) ? "changed" : "removed"))"
            )
        }
        for worker in next where !started.contains(where: { $0 === worker }) {
            do {
                try worker.reopenOutput()
            } catch {
                logger.error("stream \(worker.settings.name): cannot reopen output: \(error.description)")
            }
        }
        for name in diff.removed { metrics.remove(stream: name) }
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
            if configuration.global.mqtt != self.configuration?.global.mqtt {
                logger.warning(
                    "reload: the mqtt settings changed; they take effect at the next restart (the connection is kept)")
            }
            do {
                try apply(configuration)
                logger.info("reloaded: \(configuration.streams.count) streams")
            } catch {
                logger.error("reload rejected: \(error.message); keeping the running configuration")
            }
        }
    }
}
