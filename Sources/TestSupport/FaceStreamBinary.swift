import Foundation

/// The built `facestream` executable, for tests that run the real binary.
///
/// It sits beside the test bundle in the build folder (`swift build --build-tests` builds both).
public enum FaceStreamBinary {
    /// Path of the executable; traps with a hint when it has not been built.
    public static let path: String = {
        var candidates: [URL] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = argument0.deletingLastPathComponent()
        for _ in 0..<4 {  // the .xctest bundle may nest the test executable a few levels down
            candidates.append(directory.appendingPathComponent("facestream"))
            directory.deleteLastPathComponent()
        }
        candidates.append(SharedData.repositoryRoot.appendingPathComponent(".build/debug/facestream"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        fatalError("facestream executable not found near \(argument0.path); run `swift build --build-tests` first")
    }()

    /// Runs `facestream` with `arguments`; `$FACESTREAM_MODEL_DIR` points at the shared models
    /// unless `environment` says otherwise.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        let base = ["FACESTREAM_MODEL_DIR": SharedData.models.path, "FACESTREAM_MODEL": "", "JOURNAL_STREAM": ""]
        return try ProcessRunner.run(path, arguments, environment: base.merging(environment) { $1 })
    }
}
