import Foundation
import TestSupport
import Testing

/// The real `facestream run --config` binary: outputs, signals, reload and systemd notifications.
@Suite(.serialized) struct DaemonRunTests {
    @Test func twoFileStreamsWriteTheirOwnOutputsAndStopOnSIGTERM() throws {
        let fixtures = try DaemonFixtures()
        let first = try fixtures.video("first.mp4")
        let second = try fixtures.video("second.mp4")
        let config = try fixtures.writeConfig(
            fixtures.stream("first", source: first) + fixtures.stream("second", source: second))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForNotification { $0.split(separator: "\n").contains("READY=1") }
        try daemon.waitForStatus(["first": "finished", "second": "finished"])
        let clock = ContinuousClock()
        let start = clock.now
        daemon.signal(SIGTERM)
        try daemon.waitForNotification { $0.contains("STOPPING=1") }
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        // Well within the unit's TimeoutStopSec (15 s) plus a wide margin for a busy machine.
        #expect(clock.now - start < .seconds(30))
        for (stream, video) in [("first", first), ("second", second)] {
            let records = try fixtures.records(stream)
            #expect(records.count == (try fixtures.frameCount(video)), "\(stream)")
            #expect(records.map { $0["frame"] as? Int } == Array(0..<records.count))
            #expect(records.allSatisfy { $0["source"] as? String == video })
        }
    }

    @Test func sigtermMidStreamDrainsAndExitsZeroWithWholeLines() throws {
        let fixtures = try DaemonFixtures()
        let server = try fixtures.liveStream()
        let config = try fixtures.writeConfig(fixtures.stream("live", source: server.url))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForNotification { $0.contains("READY=1") }
        try fixtures.waitForRecords("live", atLeast: 3)
        daemon.signal(SIGTERM)
        try daemon.waitForNotification { $0.contains("STOPPING=1") }
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        // Whole lines only (a half-written one fails the parse), in frame order, each frame once.
        let records = try fixtures.records("live")
        let frames = records.compactMap { $0["frame"] as? Int }
        #expect(frames.count == records.count && frames.count >= 3)
        #expect(frames == frames.sorted() && Set(frames).count == frames.count)
        #expect(records.allSatisfy { $0["source"] as? String == server.url })
        #expect(stderr.contains("stopping: finishing the frames already read"))
        #expect(stderr.contains("stream live: stopped, "), "the per-stream summary: \(stderr)")
    }

    @Test func sighupAddsAStreamWithoutDisturbingTheRunningOne() throws {
        let fixtures = try DaemonFixtures()
        let first = try fixtures.video("first.mp4")
        let second = try fixtures.video("second.mp4")
        let config = try fixtures.writeConfig(fixtures.stream("first", source: first))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["first": "finished"])
        try fixtures.writeConfig(fixtures.stream("first", source: first) + fixtures.stream("second", source: second))
        daemon.signal(SIGHUP)
        try daemon.waitForNotification { $0.contains("RELOADING=1") }
        try daemon.waitForNotification { $0.contains("READY=1") }
        try daemon.waitForStatus(["first": "finished", "second": "finished"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        // "first" was not restarted: its output (appended to) still has each frame once.
        #expect(try fixtures.records("first").count == (try fixtures.frameCount(first)))
        #expect(try fixtures.records("second").count == (try fixtures.frameCount(second)))
        #expect(stderr.contains("reloaded: 2 streams"))
    }

    @Test func sighupWithAnInvalidConfigKeepsTheRunningOneAndSaysWhy() throws {
        let fixtures = try DaemonFixtures()
        let first = try fixtures.video("first.mp4")
        let config = try fixtures.writeConfig(fixtures.stream("first", source: first))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["first": "finished"])
        try fixtures.writeConfig(fixtures.stream("first", source: first, extra: "threshold = 2"))
        daemon.signal(SIGHUP)
        try daemon.waitForNotification { $0.contains("RELOADING=1") }
        try daemon.waitForNotification { $0.contains("READY=1") }
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        // Line 7: two global lines, then the stream's header, name, source, output, threshold.
        #expect(stderr.contains("reload rejected: \(config):7: stream \"first\": threshold must be between 0 and 1"))
        #expect(stderr.contains("keeping the running configuration"))
        #expect(try fixtures.records("first").count == (try fixtures.frameCount(first)))
    }

    @Test func aBadConfigExits78WithoutStarting() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(fixtures.stream("x", source: "x.mp4", extra: "colour = \"red\""))
        let result = try FaceStreamBinary.run(["run", "--config", config])
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(config):7: stream \"x\": unknown key \"colour\""))
    }
}
