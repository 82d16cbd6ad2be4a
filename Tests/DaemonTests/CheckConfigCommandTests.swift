import Foundation
import TestSupport
import Testing

/// `facestream check-config` through the real binary.
@Suite struct CheckConfigCommandTests {
    @Test func aUsableConfigExitsZero() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(fixtures.stream("door", source: "/dev/video0"))
        let result = try FaceStreamBinary.run(["check-config", config])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(config): OK, 1 stream\n")
    }

    @Test func everyProblemIsOneLineAndTheExitIs78() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            "threads = 0\n" + fixtures.stream("a", source: "a.mp4", extra: "max_fps = \"fast\"")
                + fixtures.stream("a", source: "b.mp4"))
        let result = try FaceStreamBinary.run(["check-config", config])
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.allSatisfy { $0.hasPrefix(config + ":") })
        #expect(lines.contains { $0.contains(":3: threads must be between 1 and 256, got 0") })
        #expect(lines.contains { $0.contains(":8: stream \"a\": max_fps must be a number") })
        #expect(lines.contains { $0.contains(":10: stream \"a\": duplicate stream name") })
    }

    @Test func missingModelsAndOutputFoldersAreFound() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\nmodel = \"no-such-model.onnx\"\noutput = \"/nonexistent/dir/a.jsonl\"\n"
                + "annotate = \"/nonexistent/recordings/a.mkv\"\n"
        )
        let result = try FaceStreamBinary.run(["check-config", config])
        #expect(result.status == 78)
        #expect(result.stderr.contains(":6: stream \"a\": model no-such-model.onnx not found"))
        #expect(result.stderr.contains(":7: stream \"a\": output folder /nonexistent/dir does not exist"))
        #expect(result.stderr.contains(":8: stream \"a\": annotate folder /nonexistent/recordings does not exist"))
    }

    /// Right after installing, the service's LogsDirectory and StateDirectory do not exist yet:
    /// systemd creates them when the unit starts.
    @Test func theServiceFoldersNeedNotExistYet() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            "[[stream]]\nname = \"a\"\nsource = \"/dev/video0\"\noutput = \"/var/log/facestream/a.jsonl\"\n"
                + "annotate = \"/var/lib/facestream/a.mp4\"\n")
        let result = try FaceStreamBinary.run(["check-config", config])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func aModelThatDoesNotLoadIsFoundWithoutStartingAnything() throws {
        let fixtures = try DaemonFixtures()
        // A file that exists but is no ONNX model: check-config reads and compiles each model.
        let broken = fixtures.path("broken.onnx")
        try Data("not a model at all".utf8).write(to: URL(fileURLWithPath: broken))
        let config = try fixtures.writeConfig(
            fixtures.stream("a", source: "/dev/video0", extra: "model = \"\(broken)\"")
                + fixtures.stream("b", source: "/dev/video0"))
        let result = try FaceStreamBinary.run(["check-config", config])
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("stream \"a\": model \(broken):") == true, "\(lines)")
        #expect(lines.first?.contains("expected an UltraFace .onnx file") == true, "\(lines)")
    }

    @Test func aMissingFileExits78() throws {
        let result = try FaceStreamBinary.run(["check-config", "/nonexistent/facestream.toml"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("/nonexistent/facestream.toml: the configuration file does not exist"))
    }
}
