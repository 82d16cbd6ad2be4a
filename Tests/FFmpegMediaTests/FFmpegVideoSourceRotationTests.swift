import FFmpegMedia
import Foundation
import Logging
import TestSupport
import Testing
import VideoCore

/// Phone videos with a display matrix: the source turns every picture as the ffmpeg tool shows it,
/// converting first with the stream's exact conversion (oracle: the tool's rgb24 conversion with
/// facestream's flags, then its transpose/flip filters), for whole pictures and for samples.
@Suite struct FFmpegVideoSourceRotationTests {
    static let logger = Logger(label: "test")

    /// Every frame of `path` converted to rgb24 by the ffmpeg tool without its own autorotation,
    /// then turned by `filter`.
    static func turnedReference(_ path: String, filter: String, frameBytes: Int) throws -> [[UInt8]] {
        let output = path + ".turned.rgb"
        try VideoFixtures.ffmpeg([
            "-noautorotate", "-i", path, "-sws_flags", FFmpegVideoSourceYUV420Tests.swsFlags, "-vf",
            "format=rgb24,\(filter)", "-pix_fmt", "rgb24", "-f", "rawvideo", output,
        ])
        defer { try? FileManager.default.removeItem(atPath: output) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
        return stride(from: 0, to: bytes.count, by: frameBytes).map {
            Array(bytes[$0..<min($0 + frameBytes, bytes.count)])
        }
    }

    @Test(arguments: RotatedClips.Turn.all)
    func wholePicturesAreTurnedAsDisplayed(turn: RotatedClips.Turn) throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-rotation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try RotatedClips.make("phone.mp4", in: folder, turn: turn)
        #expect(try RotatedClips.probeRotation(clip) != nil, "the fixture has no display matrix")
        let frames = try drain(FFmpegVideoSource(.file(path: clip), logger: Self.logger))
        #expect(frames.count == 20)
        let references = try Self.turnedReference(clip, filter: turn.displaying, frameBytes: 320 * 240 * 3)
        #expect(references.count == frames.count)
        for (frame, reference) in zip(frames, references) {
            #expect(frame.size == (320, 240), "as displayed")
            #expect(frame.image.pixels == reference, "frame \(frame.index)")
        }
        // The ffmpeg tool's own autorotated picture has the same size and (up to its different
        // chroma upsampling of the turned planes) the same content.
        let shown = try RotatedClips.displayedRGB(clip)
        let difference = try #require(RotatedClips.meanDifference(shown, frames[0].image.pixels))
        #expect(difference < 3, "mean difference \(difference) from ffmpeg's autorotated picture")
    }

    @Test(arguments: RotatedClips.Turn.all)
    func samplesAreTheTurnedPicturesPixelsAtTheGrid(turn: RotatedClips.Turn) throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-rotation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try RotatedClips.make("phone.mp4", in: folder, turn: turn)
        let sampling = FFmpegVideoSourceSampledTests.sampling
        let frames = try drain(FFmpegVideoSourceSampledTests.source(clip, sampler: sampling))
        #expect(frames.count == 20)
        let references = try Self.turnedReference(clip, filter: turn.displaying, frameBytes: 320 * 240 * 3)
        for (frame, reference) in zip(frames, references) {
            let sampled = try #require(frame.sampled)
            #expect(sampled.grid == sampling.grid(width: 320, height: 240))
            var expected: [UInt8] = []
            for row in sampled.grid.rows {
                for column in sampled.grid.columns {
                    let offset = (row * 320 + column) * 3
                    expected += reference[offset..<offset + 3]
                }
            }
            #expect(sampled.pixels.pixels == expected, "frame \(frame.index)")
        }
    }

    /// A clip without a matrix still carries its planes (no copy, no turn).
    @Test func anUprightClipIsNotTurned() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-rotation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try VideoFixtures.make("upright.mp4", in: folder, codec: VideoFixtures.h264)
        #expect(try RotatedClips.probeRotation(clip) == nil)
        let frames = try drain(FFmpegVideoSource(.file(path: clip), logger: Self.logger))
        #expect(frames.count == 20 && frames.allSatisfy { $0.yuv420 != nil && $0.size == (320, 240) })
    }
}
