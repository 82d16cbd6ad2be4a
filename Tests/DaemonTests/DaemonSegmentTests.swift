import DetectionSinks
import Foundation
import TestSupport
import Testing

/// Segmented recordings of the real daemon on an endless live stream.
@Suite(.serialized) struct DaemonSegmentTests {
    /// The segment files of the recording `door.mp4` in `folder`, by name (= by start time).
    static func segments(_ naming: SegmentNaming) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: naming.folder)) ?? [])
            .filter { naming.startTime(ofFileName: $0) != nil }.sorted()
    }

    /// Seconds of video in a file per ffprobe's decoded frames (last minus first timestamp plus one
    /// frame at 25 fps); nil when nothing decodes.
    static func decodedSpan(_ path: String) throws -> (frames: Int, seconds: Double)? {
        let times = try VideoFixtures.probeTimestamps(path).compactMap { $0 }
        guard let first = times.first, let last = times.last else { return nil }
        return (times.count, last - first + 0.04)
    }

    @Test(arguments: ["mp4", "mkv"]) func sigkillLeavesEveryFinishedSegmentPlayable(container: String) throws {
        let fixtures = try DaemonFixtures()
        let server = try fixtures.liveStream()
        let recording = fixtures.path("door.\(container)")
        let naming = SegmentNaming(recordingPath: recording)
        let config = try fixtures.writeConfig(
            fixtures.stream(
                "door", source: server.url,
                extra: "annotate = \"\(recording)\"\nannotate_style = \"blur\"\nsegment_seconds = 1"))
        let startedAt = Date()
        let daemon = try DaemonProcess(config: config)
        // Three finished segments and a fourth being written.
        try fixtures.waitUntil("4 segments exist") { Self.segments(naming).count >= 4 }
        daemon.signal(SIGKILL)
        _ = daemon.waitForExit()
        let names = Self.segments(naming)
        #expect(names.count >= 4)
        // Names are start times: in order, within the run, a second or more apart. A name already
        // taken moves to the next free second, so when a loaded machine catches up on a burst of
        // frames a name may run ahead of the clock, by at most a second per segment.
        let starts = names.compactMap { naming.startTime(ofFileName: $0) }
        #expect(starts == starts.sorted() && Set(starts).count == starts.count)
        let latest = Date().addingTimeInterval(Double(names.count))
        #expect(starts.allSatisfy { $0 >= startedAt.addingTimeInterval(-1) && $0 <= latest }, "\(starts)")
        #expect(!FileManager.default.fileExists(atPath: recording))
        // Every finished segment decodes whole and holds about its second of stream time (frames a
        // busy machine dropped make it shorter, never much longer).
        for name in names.dropLast() {
            let path = naming.path(of: name)
            let decoded = try ProcessRunner.run(
                "/usr/bin/env", ["ffmpeg", "-nostdin", "-v", "error", "-xerror", "-i", path, "-f", "null", "-"])
            #expect(decoded.status == 0 && decoded.stderr.isEmpty, "\(name): \(decoded.stderr)")
            let span = try #require(try Self.decodedSpan(path), "\(name) holds no frame")
            #expect(span.seconds <= 2.5, "\(name): \(span)")
        }
        // The segment being written when the process was killed is the only one that may be lost:
        // it is not checked.
    }

    @Test func retentionDeletesOldSegmentsAndKeepsTheFolderWithinItsSize() throws {
        let fixtures = try DaemonFixtures()
        let server = try fixtures.liveStream()
        let naming = SegmentNaming(recordingPath: fixtures.path("door.mkv"))
        // An old segment of this stream and files retention must not touch.
        let old = naming.fileName(start: Date(timeIntervalSince1970: 1_577_836_800))
        let others = ["door.mkv", "door.1.mkv", "yard-2020-01-01T00-00-00Z.mkv", "notes.txt"]
        for name in [old] + others {
            try Data("earlier".utf8).write(to: URL(fileURLWithPath: naming.path(of: name)))
        }
        // 1 kB: every closed segment is deleted before the next one opens.
        let config = try fixtures.writeConfig(
            fixtures.stream(
                "door", source: server.url,
                extra:
                    "annotate = \"\(fixtures.path("door.mkv"))\"\nsegment_seconds = 1\nkeep_gb = 0.000001\nkeep_days = 30"
            ))
        let daemon = try DaemonProcess(config: config)
        var seen = Set<String>()
        var most = 0
        try fixtures.waitUntil("3 segments were written") {
            let current = Self.segments(naming)
            seen.formUnion(current)
            most = max(most, current.count)
            return seen.subtracting([old]).count >= 3
        }
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        #expect(most <= 2, "segments on disk at once: \(most)")
        #expect(!FileManager.default.fileExists(atPath: naming.path(of: old)))
        // The last segment was finished at the stop and then counted against the size as well.
        #expect(Self.segments(naming).isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: fixtures.folder.path)
        for name in others { #expect(left.contains(name), "\(name) was deleted") }
    }
}
