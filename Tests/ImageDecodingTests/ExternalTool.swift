import Foundation
import TestSupport

/// The ffmpeg tool, quiet and overwriting, to make test inputs during the test run.
enum ExternalTool {
    /// Runs ffmpeg quietly, overwriting outputs; throws with its stderr when it fails.
    static func ffmpeg(_ arguments: [String]) throws {
        try ProcessRunner.tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + arguments)
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        try ProcessRunner.temporaryDirectory("facestream-tests")
    }
}
