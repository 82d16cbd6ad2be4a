import Foundation

/// What a program that ran to completion left behind.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum ProcessRunner {
    /// Runs `executable` with `arguments` to completion (a `RunningProcess`, killed after
    /// `timeout`). `environment` entries are added to this process's environment.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil,
        timeout: Duration = .seconds(600)
    ) throws -> ProcessResult {
        let process = try RunningProcess(
            executable, arguments, environment: environment, currentDirectory: currentDirectory)
        let (status, _, _) = process.waitForExit(timeout: timeout)
        return ProcessResult(status: status, stdout: process.stdout, stderr: process.stderr)
    }

    /// Runs `/usr/bin/env <arguments>` (a tool on PATH, such as ffmpeg); throws with its stderr
    /// when it exits non-zero.
    public static func tool(_ arguments: [String]) throws {
        let result = try run("/usr/bin/env", arguments)
        guard result.status == 0 else {
            throw ToolFailure(description: "\(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
    }

    /// A tool that exited non-zero.
    public struct ToolFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A new empty temporary directory (removed by the caller when it likes).
    public static func temporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
