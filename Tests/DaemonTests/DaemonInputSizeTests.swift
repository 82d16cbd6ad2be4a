import Foundation
import TestSupport
import Testing

/// The `input_size` stream key: applied by the daemon like `--input-size`, checked like it.
@Suite struct DaemonInputSizeTests {
    /// Two streams on one video, one at 640x360: each writes what `detect` writes at its size.
    @Test func eachStreamRunsAtItsOwnSize() throws {
        let fixtures = try DaemonFixtures()
        let video = try fixtures.video("clip.mp4", seconds: 1)
        let config = try fixtures.writeConfig(
            fixtures.stream("wide", source: video, extra: "input_size = \"640x360\"")
                + fixtures.stream("plain", source: video))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["wide": "finished", "plain": "finished"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        func faces(_ records: [[String: Any]]) -> [String] {
            records.map { record in
                ((record["faces"] as? [[String: Any]]) ?? []).map {
                    (($0["box"] as? [Double]) ?? []).map { String(format: "%.2f", $0) }.joined(separator: ",")
                }.joined(separator: ";")
            }
        }
        let wide = try fixtures.records("wide")
        let plain = try fixtures.records("plain")
        #expect(wide.count == 10 && plain.count == 10)
        let detect = try FaceStreamBinary.run(["detect", "--threads", "1", "--input-size", "640x360", video])
        #expect(detect.status == 0, "\(detect.stderr)")
        let expected = try detect.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(faces(wide) == faces(expected))
        #expect(faces(wide) != faces(plain))
    }

    /// A stream with `tiles` writes what `detect --tiles` writes.
    @Test func tilesKeyIsApplied() throws {
        let fixtures = try DaemonFixtures()
        let video = try fixtures.video("clip.mp4", seconds: 1)
        let config = try fixtures.writeConfig(fixtures.stream("tiled", source: video, extra: "tiles = \"2\""))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["tiled": "finished"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        let detect = try FaceStreamBinary.run(["detect", "--threads", "1", "--tiles", "2", video])
        let plain = try FaceStreamBinary.run(["detect", "--threads", "1", video])
        #expect(detect.status == 0 && plain.status == 0, "\(detect.stderr)")
        func boxes(_ records: [[String: Any]]) -> [[[Double]]] {
            records.map { (($0["faces"] as? [[String: Any]]) ?? []).map { ($0["box"] as? [Double]) ?? [] } }
        }
        func parse(_ text: String) throws -> [[String: Any]] {
            try text.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
        let tiled = boxes(try fixtures.records("tiled"))
        #expect(tiled.count == 10)
        #expect(tiled == boxes(try parse(detect.stdout)))
        #expect(tiled != boxes(try parse(plain.stdout)))
    }

    @Test func aBadSizeIsAConfigurationError() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            fixtures.stream("cam", source: "/dev/video99", extra: "input_size = \"320\"\ntiles = \"99\""))
        let checked = try FaceStreamBinary.run(["check-config", config])
        #expect(checked.status == 78)
        #expect(
            checked.stderr.contains(
                ":7: stream \"cam\": input_size must be WIDTHxHEIGHT (e.g. 426x240), auto or model, got \"320\""),
            "\(checked.stderr)")
        #expect(
            checked.stderr.contains(
                ":8: stream \"cam\": tiles must be auto, off or a number of columns from 2 to 16, got \"99\""),
            "\(checked.stderr)")
    }
}
