import DetectionSinks
import Foundation
import TestSupport
import Testing

/// A phone-style clip (the picture stored turned, a display matrix turning it back) through the
/// real binary: boxes and sizes as displayed, an annotated copy that plays upright.
@Suite struct RotatedVideoTests {
    func records(_ text: String) throws -> [DetectionRecord] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(DetectionRecord.self, from: Data($0.utf8)) }
    }

    @Test(arguments: RotatedClips.Turn.all)
    func boxesOfARotatedClipAreThoseOfTheUprightClip(turn: RotatedClips.Turn) throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-rotated")
        defer { try? FileManager.default.removeItem(at: dir) }
        let upright = try VideoFixtures.make("upright.mp4", in: dir, codec: VideoFixtures.h264)
        let phone = try RotatedClips.make("phone.mp4", in: dir, turn: turn)
        #expect(try VideoFixtures.probeSize(phone) == (240, 320) || turn.tag == 180, "stored turned")
        let reference = try FaceStreamBinary.run(["detect", upright])
        let rotated = try FaceStreamBinary.run(["detect", phone])
        #expect(reference.status == 0 && rotated.status == 0, "\(rotated.stderr)")
        let expected = try records(reference.stdout)
        let lines = try records(rotated.stdout)
        try #require(lines.count == 20 && expected.count == 20)
        for (line, want) in zip(lines, expected) {
            #expect(line.width == 320 && line.height == 240, "width and height as displayed")
            #expect(want.faces.contains { $0.score > Self.confident })
            // Two encodings of the same pictures: boxes agree to a few pixels, not exactly, and a
            // face cut by the border may pass the threshold in one and not the other; every
            // confident face of either run has its twin in the other.
            for (ours, theirs) in [(line.faces, want.faces), (want.faces, line.faces)] {
                for face in ours where face.score > Self.confident {
                    #expect(
                        theirs.contains { Self.distance($0.box, face.box) < 4 },
                        "frame \(line.frame): \(face.box) in \(theirs)")
                }
            }
        }
    }

    /// Faces this sure are found in both encodings.
    static let confident: Float = 0.95

    /// The largest difference of two boxes' coordinates, in pixels.
    static func distance(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test func annotatedCopyOfARotatedClipPlaysUprightWithItsAudio() throws {
        let dir = try ProcessRunner.temporaryDirectory("annotate-rotated")
        defer { try? FileManager.default.removeItem(at: dir) }
        let upright = try VideoFixtures.make("upright.mp4", in: dir, codec: VideoFixtures.h264)
        let phone = try RotatedClips.make("phone.mp4", in: dir, turn: .ninety, audio: true)
        let out = dir.appendingPathComponent("annotated.mp4").path
        let uprightOut = dir.appendingPathComponent("annotated-upright.mp4").path
        let result = try FaceStreamBinary.run(["detect", "--annotate", out, phone])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
        #expect(try FaceStreamBinary.run(["detect", "--annotate", uprightOut, upright]).status == 0)

        // Written upright: displayed size, no display matrix left to apply.
        #expect(try VideoFixtures.probeSize(out) == (320, 240))
        #expect(try RotatedClips.probeRotation(out) == nil)
        // What a player shows is the upright clip's annotated picture (two encodings apart).
        let shown = try RotatedClips.displayedRGB(out, frames: 3)
        let wanted = try RotatedClips.displayedRGB(uprightOut, frames: 3)
        let difference = try #require(RotatedClips.meanDifference(shown, wanted))
        #expect(difference < 4, "mean difference \(difference)")
        #expect(try VideoFixtures.audioChecksum(out) == VideoFixtures.audioChecksum(phone))
    }
}
