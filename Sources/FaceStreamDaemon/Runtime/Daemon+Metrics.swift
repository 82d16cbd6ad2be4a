import FaceStreamApp

extension Daemon {
    /// Binds the Prometheus endpoint when the configuration asks for one (serving starts in
    /// `MetricsService`); a failure to listen is logged and the daemon runs without it.
    func bindMetrics(_ global: GlobalSettings) -> MetricsServer? {
        guard let address = global.metricsAddress else { return nil }
        do {
            let server = try MetricsServer(address: address, logger: logger) { [self] in
                metrics.exposition(snapshots(), mqtt: mqtt?.statistics)
            }
            logger.info("metrics on http://\(address)/metrics")
            return server
        } catch {
            logger.error("\(error.message); running without metrics")
            return nil
        }
    }
}
