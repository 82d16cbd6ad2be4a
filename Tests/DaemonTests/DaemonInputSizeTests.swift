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

    @Test func aBadSizeIsAConfigurationError() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            fixtures.stream("cam", source: "/dev/video99", extra: "input_size = \"320\""))
        let checked = try FaceStreamBinary.run(["check-config", config])
        #expect(checked.status == 78)
        #expect(
            checked.stderr.contains(
                ":7: stream \"cam\": input_size must be WIDTHxHEIGHT (e.g. 426x240), auto or model, got \"320\""),
            "\(checked.stderr)")
    }
}
