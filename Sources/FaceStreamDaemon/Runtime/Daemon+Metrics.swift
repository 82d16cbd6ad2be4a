import FaceStreamApp

extension Daemon {
    /// Starts the Prometheus endpoint when the configuration asks for one; a failure to listen
    /// is logged and the daemon runs without it.
    func startMetrics(_ global: GlobalSettings) -> MetricsServer? {
        guard let address = global.metricsAddress else { return nil }
        do {
            let server = try MetricsServer(address: address, logger: logger) { [self] in MetricsText.render(snapshots())
            }
            server.start()
            logger.info("metrics on http://\(address)/metrics")
            return server
        } catch {
            logger.error("\(error.message); running without metrics")
            return nil
        }
    }
}
