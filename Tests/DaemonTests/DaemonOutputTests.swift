import Foundation
import TestSupport
import Testing

/// Annotated recordings and output reopening, against the real binary.
@Suite(.serialized) struct DaemonOutputTests {
    @Test func sigtermMidStreamFinishesAPlayableRecordingOfEveryWrittenFrame() throws {
        let fixtures = try DaemonFixtures()
        let long = try fixtures.video("long.mp4", seconds: 30)
        let recording = fixtures.path("long.mkv")
        let config = try fixtures.writeConfig(
            fixtures.stream("long", source: long, extra: "annotate = \"\(recording)\"\nannotate_style = \"blur\""))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForNotification { $0.contains("READY=1") }
        try daemon.waitForStatus(["long": "running"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        let records = try fixtures.records("long")
        #expect(!records.isEmpty)
        #expect(records.count < (try fixtures.frameCount(long)), "the stream was meant to be stopped mid-file")
        // Every frame that reached the sink went to both outputs; ffprobe decodes the whole file.
        #expect(try fixtures.frameCount(recording) == records.count)
        let size = try VideoFixtures.probeSize(recording)
        #expect(size.width == 320 && size.height == 240)
    }

    @Test func anEarlierRecordingIsKeptAndTheRunRecordsBesideIt() throws {
        let fixtures = try DaemonFixtures()
        let video = try fixtures.video("short.mp4")
        let recording = fixtures.path("short.mp4.mkv")
        try Data("an earlier recording".utf8).write(to: URL(fileURLWithPath: recording))
        let config = try fixtures.writeConfig(
            fixtures.stream("short", source: video, extra: "annotate = \"\(recording)\""))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["short": "finished"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        #expect(try String(contentsOfFile: recording, encoding: .utf8) == "an earlier recording")
        let next = fixtures.path("short.mp4.1.mkv")
        #expect(try fixtures.frameCount(next) == (try fixtures.frameCount(video)))
        #expect(stderr.contains("recording to \(next)"))
    }

    @Test func sighupAfterARenameWritesNewLinesToTheConfiguredPath() throws {
        let fixtures = try DaemonFixtures()
        let long = try fixtures.video("long.mp4", seconds: 60)
        let config = try fixtures.writeConfig(fixtures.stream("long", source: long))
        let output = fixtures.path("long.jsonl")
        let rotated = fixtures.path("long.jsonl.1")
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["long": "running"])
        try waitUntil("the first line is written") {
            ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").contains("\n")
        }
        // What logrotate does: rename, then signal.
        try FileManager.default.moveItem(atPath: output, toPath: rotated)
        daemon.signal(SIGHUP)
        try daemon.waitForNotification { $0.contains("RELOADING=1") }
        try daemon.waitForNotification { $0.contains("READY=1") }
        try daemon.waitForStatus(["long": "finished"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        let frames = try fixtures.frameCount(long)
        let old = try fixtures.records(in: rotated)
        let new = try fixtures.records("long")
        #expect(!old.isEmpty)
        #expect(!new.isEmpty, "the stream ended before the reopen; make the video longer")
        // The renamed file keeps whole lines; together the files hold every frame once, in order.
        #expect((old + new).map { $0["frame"] as? Int } == Array(0..<frames))
    }

    /// Polls `condition` every 20 ms for up to 60 s.
    private func waitUntil(_ what: String, _ condition: () -> Bool) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while !condition() {
            guard clock.now < deadline else { throw ProcessRunner.Failure("timed out waiting until \(what)") }
            usleep(20_000)
        }
    }
}
