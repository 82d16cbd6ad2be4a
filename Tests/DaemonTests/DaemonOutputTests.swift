import Foundation
import TestSupport
import Testing

/// Annotated recordings and output reopening, against the real binary.
@Suite(.serialized) struct DaemonOutputTests {
    @Test func sigtermMidStreamFinishesAPlayableRecordingOfEveryWrittenFrame() throws {
        let fixtures = try DaemonFixtures()
        let server = try fixtures.liveStream()
        let recording = fixtures.path("live.mkv")
        let config = try fixtures.writeConfig(
            fixtures.stream(
                "live", source: server.url,
                extra: "annotate = \"\(recording)\"\nannotate_style = \"blur\"\nsegment_seconds = 0")
        )
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForNotification { $0.contains("READY=1") }
        try fixtures.waitForRecords("live", atLeast: 3)
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        let records = try fixtures.records("live")
        #expect(records.count >= 3)
        // Every frame that reached the sink went to both outputs; ffprobe decodes the whole file.
        #expect(try fixtures.frameCount(recording) == records.count)
        let size = try VideoFixtures.probeSize(recording)
        #expect(size.width == 320 && size.height == 240)
    }

    /// A file stream with snapshots: the files are named after the stream, every event names
    /// one, and all of them are on disk when the stream has finished.
    @Test func snapshotsAreNamedAfterTheStreamAndWrittenBeforeItFinishes() throws {
        let fixtures = try DaemonFixtures()
        let video = try fixtures.video("short.mp4")
        let folder = fixtures.path("snaps")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let config = try fixtures.writeConfig(
            fixtures.stream("front.door", source: video, extra: "events_only = true\nsnapshots = \"\(folder)\""))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["front.door": "finished"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        let events = try fixtures.records("front.door")
        #expect(events.count == 4 && events.allSatisfy { $0["event"] != nil })
        let named = Set(events.compactMap { $0["snapshot"] as? String })
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).map { folder + "/" + $0 }
        #expect(!named.isEmpty && Set(files) == named)
        #expect(files.allSatisfy { URL(fileURLWithPath: $0).lastPathComponent.hasPrefix("front_door-") })
    }

    @Test func anEarlierRecordingIsKeptAndTheRunRecordsBesideIt() throws {
        let fixtures = try DaemonFixtures()
        let video = try fixtures.video("short.mp4")
        let recording = fixtures.path("short.mp4.mkv")
        try Data("an earlier recording".utf8).write(to: URL(fileURLWithPath: recording))
        let config = try fixtures.writeConfig(
            fixtures.stream("short", source: video, extra: "annotate = \"\(recording)\"\nsegment_seconds = 0"))
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
        let server = try fixtures.liveStream()
        let config = try fixtures.writeConfig(fixtures.stream("live", source: server.url))
        let output = fixtures.path("live.jsonl")
        let rotated = fixtures.path("live.jsonl.1")
        let daemon = try DaemonProcess(config: config)
        try fixtures.waitForRecords("live")
        // What logrotate does: rename, then signal.
        try FileManager.default.moveItem(atPath: output, toPath: rotated)
        daemon.signal(SIGHUP)
        try daemon.waitForNotification { $0.contains("RELOADING=1") }
        try daemon.waitForNotification { $0.contains("READY=1") }
        try fixtures.waitForRecords("live")
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        let old = try fixtures.records(in: rotated)
        let new = try fixtures.records("live")
        #expect(!old.isEmpty && !new.isEmpty)
        // The renamed file keeps whole lines; together the files hold each frame once, in order.
        let frames = (old + new).compactMap { $0["frame"] as? Int }
        #expect(frames.count == old.count + new.count)
        #expect(frames == frames.sorted() && Set(frames).count == frames.count)
    }
}
