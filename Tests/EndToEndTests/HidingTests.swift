import DetectionSinks
import Foundation
import TestSupport
import Testing

/// Hiding that holds (issue 13) through the real binary: a clip in which the detector misses a
/// clearly present face in some frames (heavy noise on them), annotated with `--style solid`,
/// decoded back with the real ffmpeg and checked frame by frame.
@Suite(.serialized) struct HidingTests {
    static let width = 280
    static let height = 240
    /// Frames with noise: the first three (for the lookahead) and eight in the middle (0.8 s,
    /// longer than the lookahead, shorter than the hold).
    static let noisyFrames = Set(Array(0...2) + Array(8...15))

    /// A 3 s, 10 fps still of the photo (one face, at about x 93...153, y 21...106) with heavy
    /// noise on `noisyFrames`.
    static func makeClip(in dir: URL) throws -> String {
        let clip = dir.appendingPathComponent("noisy.mp4").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", VideoFixtures.photo, "-t", "3",
            "-vf", "fps=10,crop=\(width):\(height):0:0,noise=alls=100:allf=t:enable='between(n,0,2)+between(n,8,15)'",
            "-c:v", "libx264", "-threads", "1", "-pix_fmt", "yuv420p", "-g", "5", clip,
        ])
        return clip
    }

    /// Every decoded frame of `path` as packed RGB24.
    static func frames(_ path: String) throws -> [[UInt8]] {
        let raw = path + ".rgb"
        try VideoFixtures.ffmpeg(["-i", path, "-pix_fmt", "rgb24", "-f", "rawvideo", raw])
        defer { try? FileManager.default.removeItem(atPath: raw) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let size = width * height * 3
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0..<($0 + size)]) }
    }

    /// The brightest grey level in the region (x0..<x1, y0..<y1): near 0 only when all of it is black.
    static func brightest(_ rgb: [UInt8], _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> Int {
        var most = 0
        for y in y0..<y1 {
            for x in x0..<x1 {
                let i = (y * width + x) * 3
                most = max(most, (Int(rgb[i]) + Int(rgb[i + 1]) + Int(rgb[i + 2])) / 3)
            }
        }
        return most
    }

    /// Frame numbers of the JSON lines with at least one face.
    static func framesWithFaces(_ stdout: String) throws -> Set<Int> {
        var found = Set<Int>()
        for line in stdout.split(separator: "\n") {
            let record = try JSONDecoder().decode(DetectionRecord.self, from: Data(line.utf8))
            if !record.faces.isEmpty { found.insert(record.frame) }
        }
        return found
    }

    /// Runs `detect --annotate --style solid` with `extra`; returns the decoded frames and stdout.
    static func annotate(_ clip: String, in dir: URL, _ extra: [String]) throws -> (frames: [[UInt8]], stdout: String) {
        let out = dir.appendingPathComponent("out-\(extra.joined(separator: "_")).mp4").path
        let result = try FaceStreamBinary.run(["detect", "--annotate", out, "--style", "solid"] + extra + [clip])
        try #require(result.status == 0, "\(result.stderr)")
        return (try frames(out), result.stdout)
    }

    /// Inside the face (the face box shrunk a little), where a hidden face is black.
    static func faceRegion(_ rgb: [UInt8]) -> Int { brightest(rgb, 103, 31, 143, 96) }

    @Test func theFaceIsHiddenInEveryFrameWithHoldAndLookaheadAndNotWithout() throws {
        let dir = try ProcessRunner.temporaryDirectory("hiding-hold")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try Self.makeClip(in: dir)
        // The detector really misses the face on the noisy frames, and finds it on all others.
        let plain = try FaceStreamBinary.run(["detect", "--threshold", "0.3", clip])
        try #require(plain.status == 0, "\(plain.stderr)")
        let found = try Self.framesWithFaces(plain.stdout)
        #expect(found == Set(0..<30).subtracting(Self.noisyFrames), "\(found.sorted())")

        // Defaults (hold 1 s, lookahead 0.5 s for files): every frame hidden.
        let held = try Self.annotate(clip, in: dir, [])
        try #require(held.frames.count == 30)
        for (index, frame) in held.frames.enumerated() {
            #expect(Self.faceRegion(frame) < 40, "frame \(index) shows the face")
        }
        // The JSON lines are the same as without hiding: the noisy frames report nothing.
        #expect(try Self.framesWithFaces(held.stdout) == found)

        // Without hold and lookahead: the missed frames show the face (noise, bright pixels).
        let bare = try Self.annotate(clip, in: dir, ["--hold", "0", "--lookahead", "0"])
        for index in 0..<30 {
            let visible = Self.faceRegion(bare.frames[index]) > 120
            #expect(visible == Self.noisyFrames.contains(index), "frame \(index)")
        }

        // Hold alone covers the gap in the middle, not the frames before the first detection.
        let holdOnly = try Self.annotate(clip, in: dir, ["--lookahead", "0"])
        #expect((0...2).allSatisfy { Self.faceRegion(holdOnly.frames[$0]) > 120 })
        #expect((3..<30).allSatisfy { Self.faceRegion(holdOnly.frames[$0]) < 40 })

        // Lookahead alone covers the 0.5 s before each detection after a miss: frames 0...2
        // (before frame 3) and 11...15 (before frame 16), not 8...10.
        let lookaheadOnly = try Self.annotate(clip, in: dir, ["--hold", "0"])
        let shown = (0..<30).filter { Self.faceRegion(lookaheadOnly.frames[$0]) > 120 }
        #expect(shown == [8, 9, 10])
    }

    @Test func privacyZonesAreHiddenInEveryFrameAndIgnoreZonesDropDetections() throws {
        let dir = try ProcessRunner.temporaryDirectory("hiding-zones")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try Self.makeClip(in: dir)
        // A privacy zone in the lower left (pixels), with box style: the zone is black in every
        // frame although nothing is detected there; the rest of the picture is not.
        let out = dir.appendingPathComponent("zones.mp4").path
        let boxed = try FaceStreamBinary.run([
            "detect", "--annotate", out, "--privacy-zone", "0,150 60,150 60,240 0,240", clip,
        ])
        try #require(boxed.status == 0, "\(boxed.stderr)")
        let frames = try Self.frames(out)
        try #require(frames.count == 30)
        for (index, frame) in frames.enumerated() {
            #expect(Self.brightest(frame, 2, 152, 58, 238) < 40, "frame \(index)")
            #expect(Self.brightest(frame, 200, 150, 260, 240) > 60, "frame \(index)")
        }
        // An ignore zone (percentages) over the face: its detections are gone from the lines;
        // one beside it changes nothing.
        let ignored = try FaceStreamBinary.run(["detect", "--ignore-zone", "25%,0 60%,0 60%,50% 25%,50%", clip])
        try #require(ignored.status == 0, "\(ignored.stderr)")
        #expect(try Self.framesWithFaces(ignored.stdout).isEmpty)
        #expect(ignored.stdout.split(separator: "\n").count == 30)
        let beside = try FaceStreamBinary.run(["detect", "--ignore-zone", "70%,0 100%,0 100%,50%", clip])
        #expect(try Self.framesWithFaces(beside.stdout).count == 19)
    }

    @Test(arguments: [
        (["--privacy-zone", "1,2 3,4"], "--privacy-zone"), (["--ignore-zone", "1,2 3,x 5,6"], "--ignore-zone"),
        (["--hold=-1"], "--hold"), (["--lookahead", "5"], "--lookahead"),
        (["--hide-threshold", "1"], "--hide-threshold"),
        (["--mask-scale", "0.5"], "--mask-scale"), (["--mask-shape", "star"], "--mask-shape"),
    ])
    func badHidingOptionsAreUsageErrors(arguments: [String], option: String) throws {
        let result = try FaceStreamBinary.run(["detect"] + arguments + [VideoFixtures.photo])
        #expect(result.status == 64, "\(result.stderr)")
        // The first line says what is wrong and names the option (ArgumentParser adds usage lines).
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Error: ") && first.contains(option), "\(result.stderr)")
    }
}
