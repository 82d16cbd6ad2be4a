import FaceStreamApp

/// A stream with the process-wide settings it depends on: a change in any of them restarts the
/// stream on reload, while streams whose plan is unchanged are left running.
struct StreamPlan: Sendable, Equatable {
    var settings: StreamSettings
    var model: String?
    var threads: Int
    var workers: Int
    var precision: ModelPrecision

    init(_ settings: StreamSettings, global: GlobalSettings) {
        self.settings = settings
        model = settings.model ?? global.model
        threads = global.threads
        workers = settings.workers ?? global.workers
        precision = global.precision
    }

    /// Stream names are unique in a checked configuration.
    var name: String { settings.name }
}
