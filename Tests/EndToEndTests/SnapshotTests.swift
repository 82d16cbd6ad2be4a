import Foundation
import JPEGCodec
import TestSupport
import Testing

/// `--snapshots` through the real binary on a clip of a slowly panning photo (two faces).
@Suite struct SnapshotTests {
    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// The crop size the box gives: 25 % of its width and height added on each side, clipped to
    /// the 320x240 picture.
    static func cropSize(_ box: [Double]) -> (width: Int, height: Int) {
        let (w, h) = (box[2] - box[0], box[3] - box[1])
        let x0 = max(0, Int((Float(box[0]) - 0.25 * Float(w)).rounded(.down)))
        let x1 = min(320, Int((Float(box[2]) + 0.25 * Float(w)).rounded(.up)))
        let y0 = max(0, Int((Float(box[1]) - 0.25 * Float(h)).rounded(.down)))
        let y1 = min(240, Int((Float(box[3]) + 0.25 * Float(h)).rounded(.up)))
        return (x1 - x0, y1 - y0)
    }

    static func decode(_ path: String) throws -> (width: Int, height: Int) {
        let image = try JPEGDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        return (image.width, image.height)
    }

    @Test func eachTrackGetsAnAppearedAndALeftSnapshotNamedInItsEvents() throws {
        let dir = try ProcessRunner.temporaryDirectory("snapshots-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("door cam.mp4", in: dir, codec: VideoFixtures.h264)
        let folder = dir.appendingPathComponent("snaps")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let result = try FaceStreamBinary.run(["detect", "--events", "--snapshots", folder.path, clip])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Self.lines(result.stdout)
        let appeared = lines.filter { $0["event"] as? String == "appeared" }
        let left = lines.filter { $0["event"] as? String == "left" }
        #expect(appeared.count == 2 && left.count == 2)
        var named: Set<String> = []
        for event in appeared {
            let path = try #require(event["snapshot"] as? String)
            let track = try #require(event["track"] as? Int)
            let frame = try #require(event["frame"] as? Int)
            #expect(path == folder.path + "/door_cam-\(track)-\(frame).jpg")
            let size = try Self.decode(path)
            let expected = Self.cropSize(try #require(event["box"] as? [Double]))
            #expect(size == expected, "\(path): \(size), box + 25 % is \(expected)")
            named.insert(path)
        }
        // The best crop: a frame of the same track between its first and last sighting, from a
        // frame line that holds the face with that track id, and the crop of that face's box.
        let frames = lines.filter { $0["event"] == nil }
        for event in left {
            let path = try #require(event["snapshot"] as? String)
            let track = try #require(event["track"] as? Int)
            let name = URL(fileURLWithPath: path).lastPathComponent
            #expect(name.hasPrefix("door_cam-\(track)-") && name.hasSuffix(".jpg"))
            let frame = try #require(Int(name.dropFirst("door_cam-\(track)-".count).dropLast(4)))
            let line = try #require(frames.first { $0["frame"] as? Int == frame })
            let face = try #require((line["faces"] as? [[String: Any]])?.first { $0["track"] as? Int == track })
            #expect(try Self.decode(path) == Self.cropSize(try #require(face["box"] as? [Double])))
            named.insert(path)
        }
        // Every file is named by an event; nothing else (no temporary file) is in the folder.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).map { folder.path + "/" + $0 }
        #expect(Set(files) == named)
        #expect(result.stderr.contains("snapshots: \(named.count) written, 0 dropped, 0 failed"), "\(result.stderr)")
    }

    @Test func snapshotKeepLeavesTheNewestFilesOfTheInput() throws {
        let dir = try ProcessRunner.temporaryDirectory("snapshots-keep-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let folder = dir.appendingPathComponent("snaps")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let other = folder.appendingPathComponent("yard-1-1.jpg").path
        _ = FileManager.default.createFile(atPath: other, contents: Data([1]))
        let result = try FaceStreamBinary.run([
            "detect", "--events-only", "--snapshots", folder.path, "--snapshot-keep", "1", clip,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let last = try #require(try Self.lines(result.stdout).last?["snapshot"] as? String)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        // Snapshots are written in event order, so the one kept is the last event's.
        #expect(files == [URL(fileURLWithPath: last).lastPathComponent, "yard-1-1.jpg"].sorted())
    }

    @Test func aMissingFolderIsOneClearErrorBeforeAnyLine() throws {
        let dir = try ProcessRunner.temporaryDirectory("snapshots-missing-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let missing = dir.appendingPathComponent("nope").path
        let result = try FaceStreamBinary.run(["detect", "--events", "--snapshots", missing, clip])
        #expect(result.status == 74)
        #expect(result.stdout.isEmpty)
        let errors = result.stderr.split(separator: "\n")
        #expect(
            errors.count == 1 && errors[0].contains("snapshots: folder \(missing) does not exist"), "\(result.stderr)")
    }

    @Test func badSnapshotOptionsAreCommandLineErrors() throws {
        for arguments in [["--snapshot-keep", "-1"], ["--snapshot-margin", "3"], ["--snapshots", ""]] {
            let result = try FaceStreamBinary.run(["detect", "--snapshots", "/tmp"] + arguments + ["x.mp4"])
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }
}
