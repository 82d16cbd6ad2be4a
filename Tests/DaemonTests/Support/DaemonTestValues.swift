@testable import FaceStreamDaemon

/// Small values the daemon's unit tests share.
enum DaemonTestValues {
    /// A stream's snapshot with the given counters.
    static func snapshot(_ name: String, _ state: StreamState, framesIn: Int = 0, analysed: Int = 0) -> StreamSnapshot {
        var snapshot = StreamSnapshot(name: name, state: state)
        snapshot.framesIn = framesIn
        snapshot.framesAnalyzed = analysed
        return snapshot
    }

    /// The problems `ConfigurationLoader.parse` finds in `text` (empty when it accepts it).
    static func problems(_ text: String, file: String = "test.toml") -> [ConfigurationProblem] {
        do {
            _ = try ConfigurationLoader.parse(text, file: file)
            return []
        } catch {
            return error.problems
        }
    }
}
