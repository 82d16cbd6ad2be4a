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

    @Test func badTrackingOptionsAreCommandLineErrors() throws {
        for arguments in [
            ["--track-low-threshold", "0.9"], ["--track-min-hits", "0"], ["--track-max-age", "-1"],
        ] {
            let result = try FaceStreamBinary.run(["detect", "--tracks"] + arguments + ["x.mp4"])
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }
}
