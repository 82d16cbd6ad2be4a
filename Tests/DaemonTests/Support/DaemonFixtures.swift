import Foundation
import TestSupport

/// Configurations and videos for the daemon tests, in a fresh temporary folder.
struct DaemonFixtures {
    let folder: URL

    init() throws {
        folder = try ProcessRunner.temporaryDirectory("facestream-daemon")
    }

    /// A video made with ffmpeg from the shared photo: `seconds` long at 10 fps.
    func video(_ name: String, seconds: Int = 2) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try VideoFixtures.ffmpeg(
            ["-loop", "1", "-i", VideoFixtures.photo, "-t", "\(seconds)", "-r", "10", "-vf", VideoFixtures.panning]
                + VideoFixtures.h264 + [path])
        return path
    }

    /// A live H.264 stream over HTTP on 127.0.0.1 that never ends on its own (ffmpeg `-re`), so a
    /// signal always lands mid-stream, however fast the engine is. Killed when released.
    func liveStream() throws -> StreamServer {
        try StreamServer(port: try LocalServers.freePort(), seconds: nil)
    }

    /// Polls `condition` every 20 ms until it holds; fails after 60 s (a hung daemon, not a slow one).
    func waitUntil(_ what: String, _ condition: () -> Bool) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while !condition() {
            guard clock.now < deadline else { throw ProcessRunner.Failure("timed out waiting until \(what)") }
            usleep(20_000)
        }
    }

    /// Waits until the stream's output holds at least `count` whole lines.
    func waitForRecords(_ stream: String, atLeast count: Int = 1) throws {
        try waitUntil("\(stream) wrote \(count) lines") { ((try? records(stream))?.count ?? 0) >= count }
    }

    /// Frames in `video` per ffprobe (the oracle for line counts).
    func frameCount(_ video: String) throws -> Int {
        try VideoFixtures.probeTimestamps(video).count
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A `[[stream]]` table.
    func stream(_ name: String, source: String, extra: String = "") -> String {
        "[[stream]]\nname = \"\(name)\"\nsource = \"\(source)\"\noutput = \"\(path(name + ".jsonl"))\"\n\(extra)\n"
    }

    /// Writes the configuration file and returns its path.
    @discardableResult
    func writeConfig(_ text: String, name: String = "facestream.toml") throws -> String {
        let file = path(name)
        try ("status_interval = 1\nworkers = 1\n" + text).write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The JSON lines of a stream's output, each parsed (a half-written line fails the parse).
    func records(_ stream: String) throws -> [[String: Any]] {
        try records(in: path(stream + ".jsonl"))
    }

    /// The JSON lines of the file at `file`, each parsed (a half-written line fails the parse).
    func records(in file: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        guard text.isEmpty || text.hasSuffix("\n") else {
            throw ProcessRunner.Failure("\(file): last line is incomplete")
        }
        return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ProcessRunner.Failure("not a JSON object: \(line)")
            }
            return object
        }
    }
}

extension ProcessRunner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
