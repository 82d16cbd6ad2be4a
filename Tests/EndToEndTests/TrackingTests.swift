import DetectionSinks
import Foundation
import TestSupport
import Testing

/// `--tracks` through the real binary on a clip of a slowly panning photo.
@Suite struct TrackingTests {
    func records(_ text: String) throws -> [DetectionRecord] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(DetectionRecord.self, from: Data($0.utf8)) }
    }

    @Test func tracksAddIdsAndChangeNothingElse() throws {
        let dir = try ProcessRunner.temporaryDirectory("tracks")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let plain = try FaceStreamBinary.run(["detect", clip])
        let tracked = try FaceStreamBinary.run(["detect", "--tracks", clip])
        #expect(plain.status == 0 && tracked.status == 0, "\(tracked.stderr)")
        let without = try records(plain.stdout)
        let with = try records(tracked.stdout)
        #expect(with.count == without.count && with.count == 20)
        // The same faces (the detector runs at the low threshold, the tracker reports only the
        // faces above --threshold), with a track id added.
        for (a, b) in zip(without, with) {
            #expect(a.faces.map(\.box) == b.faces.map(\.box) && a.faces.map(\.score) == b.faces.map(\.score))
        }
        #expect(plain.stdout.contains("\"track\"") == false)
        // Frame 0 starts the tracks (tentative); from frame 1 on each of the photo's two faces (one
        // left, one right of the middle, moving with the pan) keeps one id; ids count from 1.
        #expect(with[0].faces.allSatisfy { $0.track == nil })
        for side in [true, false] {
            let sideIDs = with.dropFirst().flatMap { record in
                record.faces.filter { ($0.box[0] < 160) == side }.compactMap(\.track)
            }
            #expect(Set(sideIDs).count == 1, "\(side ? "left" : "right") face ids: \(sideIDs)")
        }
        let ids = Set(with.flatMap { $0.faces.compactMap(\.track) })
        #expect(ids == Set(1...ids.count), "\(ids)")
    }

    /// `--events`: one `appeared` just before the line of the frame that confirms a track, one
    /// `left` per track (at the end of the file for tracks still open); `--events-only` writes
    /// the event lines alone.
    @Test func eventsComeWithTheConfirmingFrameAndEveryTrackLeaves() throws {
        let dir = try ProcessRunner.temporaryDirectory("events")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let result = try FaceStreamBinary.run(["detect", "--events", clip])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let appeared = lines.enumerated().filter { $0.element["event"] as? String == "appeared" }
        let left = lines.filter { $0["event"] as? String == "left" }
        #expect(!appeared.isEmpty && appeared.count == left.count)
        for (position, event) in appeared {
            // The next line is the frame line of the confirming frame, whose faces carry the id.
            let next = lines[position + 1]
            #expect(next["event"] == nil && next["frame"] as? Int == event["frame"] as? Int)
            let ids = (next["faces"] as? [[String: Any]])?.compactMap { $0["track"] as? Int } ?? []
            #expect(ids.contains(event["track"] as? Int ?? -1))
            #expect((event["box"] as? [Double])?.count == 4 && event["snapshot"] is NSNull)
        }
        for event in left {
            #expect(event["frames"] as? Int ?? 0 >= 2)
            let first = event["first_pts"] as? Double ?? -1
            let last = event["last_pts"] as? Double ?? -1
            #expect(abs((event["duration"] as? Double ?? -1) - (last - first)) < 1e-9 && last >= first)
            #expect((event["best"] as? [String: Any])?["score"] != nil)
        }
        // The tracks still open at the end of the file leave after its last frame line.
        #expect(lines.last?["event"] as? String == "left")
        let only = try FaceStreamBinary.run(["detect", "--events-only", clip])
        let onlyLines = only.stdout.split(separator: "\n")
        #expect(onlyLines.count == appeared.count + left.count)
        #expect(onlyLines.allSatisfy { $0.contains("\"event\":") })
    }

    @Test func badTrackingOptionsAreCommandLineErrors() throws {
        for arguments in [
            ["--track-low-threshold", "0.9"], ["--track-min-hits", "0"], ["--track-max-age", "-1"],
        ] {
            let result = try FaceStreamBinary.run(["detect", "--tracks"] + arguments + ["x.mp4"])
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }
}
