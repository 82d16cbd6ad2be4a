import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The opt-in Prometheus endpoint and the watchdog, against the real binary.
@Suite struct DaemonMetricsTests {
    /// A loopback port free right now (the kernel picks it).
    private func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    @Test func metricsCountTheFramesAndTheWatchdogIsFedWhileHealthy() throws {
        let fixtures = try DaemonFixtures()
        let video = try fixtures.video("first.mp4")
        let port = try freePort()
        let config = try fixtures.writeConfig(
            "metrics = \"127.0.0.1:\(port)\"\n" + fixtures.stream("first", source: video))
        let daemon = try DaemonProcess(config: config, environment: ["WATCHDOG_USEC": "2000000"])
        try daemon.waitForStatus(["first": "finished"])
        try daemon.waitForNotification { $0.contains("WATCHDOG=1") }
        let result = try ProcessRunner.run(
            "/usr/bin/env", ["curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(port)/metrics"])
        let missing = try ProcessRunner.run(
            "/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        #expect(result.status == 0, "\(result.stderr)")
        let frames = try fixtures.frameCount(video)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains("facestream_frames_in_total{stream=\"first\"} \(frames)"))
        #expect(lines.contains("facestream_frames_analysed_total{stream=\"first\"} \(frames)"))
        // Gauges are written as floating point numbers ("1.0"), which Prometheus reads the same.
        #expect(value(of: "facestream_source_state{stream=\"first\",state=\"finished\"}", in: lines) == 1)
        #expect(value(of: "facestream_source_state{stream=\"first\",state=\"running\"}", in: lines) == 0)
        #expect(lines.contains("# TYPE facestream_faces_total counter"))
        let faces = try fixtures.records("first").reduce(0) { $0 + (($1["faces"] as? [Any])?.count ?? 0) }
        #expect(lines.contains("facestream_faces_total{stream=\"first\"} \(faces)"))
        #expect(missing.stdout == "404")
        try checkLatencyHistogram(lines.map(String.init), stream: "first", analysed: frames)
    }

    @Test func aCappedStreamCountsEveryFrameInAndAnalysesTheFirstOfEachSlot() throws {
        let fixtures = try DaemonFixtures()
        // 20 frames at 10 fps (libx264 with B-frames); 2.5 a second analyses every fourth.
        let video = try fixtures.video("capped.mp4")
        let port = try freePort()
        let config = try fixtures.writeConfig(
            "metrics = \"127.0.0.1:\(port)\"\n" + fixtures.stream("capped", source: video, extra: "max_fps = 2.5"))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["capped": "finished"])
        let result = try ProcessRunner.run(
            "/usr/bin/env", ["curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(port)/metrics"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        let lines = result.stdout.split(separator: "\n")
        // The frames the source passed over (never converted, the B-frames never decoded) came in.
        #expect(lines.contains("facestream_frames_in_total{stream=\"capped\"} \(try fixtures.frameCount(video))"))
        #expect(lines.contains("facestream_frames_analysed_total{stream=\"capped\"} 5"), "\(result.stdout)")
        #expect(lines.contains("facestream_frames_dropped_total{stream=\"capped\"} 0"))
        #expect(try fixtures.records("capped").map { $0["frame"] as? Int } == [0, 4, 8, 12, 16])
    }

    /// The number after `series` (a name with its labels), if the series is there.
    private func value(of series: String, in lines: [Substring]) -> Double? {
        lines.first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    /// The histogram counts every analysed frame; buckets ascend in `le` and never decrease.
    private func checkLatencyHistogram(_ lines: [String], stream: String, analysed: Int) throws {
        let name = "facestream_detection_latency_seconds"
        #expect(lines.contains("# TYPE \(name) histogram"))
        let prefix = "\(name)_bucket{stream=\"\(stream)\",le=\""
        let buckets = lines.filter { $0.hasPrefix(prefix) }.map { line -> (le: String, count: Int?) in
            let rest = line.dropFirst(prefix.count)
            let le = String(rest.prefix { $0 != "\"" })
            return (le, Int(rest.split(separator: " ").last ?? ""))
        }
        #expect(buckets.count >= 2)
        #expect(buckets.last?.le == "+Inf")
        let bounds = buckets.dropLast().compactMap { Double($0.le) }
        #expect(bounds.count == buckets.count - 1)
        #expect(bounds == bounds.sorted() && Set(bounds).count == bounds.count)
        let counts = try buckets.map { try #require($0.count) }
        #expect(counts == counts.sorted(), "cumulative counts must not decrease: \(counts)")
        #expect(counts.last == analysed)
        #expect(lines.contains("\(name)_count{stream=\"\(stream)\"} \(analysed)"))
        let sumLine = try #require(lines.first { $0.hasPrefix("\(name)_sum{stream=\"\(stream)\"} ") })
        let sum = try #require(Double(sumLine.split(separator: " ").last ?? ""))
        #expect(sum > 0)
    }
}
