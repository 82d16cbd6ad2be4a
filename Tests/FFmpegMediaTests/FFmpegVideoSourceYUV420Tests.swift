import FFmpegMedia
import Foundation
import Logging
import TestSupport
import Testing
import VideoCore

/// yuv420p video reaches consumers as planes (`VideoFrame.yuv420`) whose conversion equals the
/// ffmpeg tool's swscale conversion on every frame, including noise that drives the arithmetic to
/// its clipping and wrap-around corners.
@Suite struct FFmpegVideoSourceYUV420Tests {
    static let logger = Logger(label: "test")
    static let swsFlags = "bilinear+accurate_rnd+full_chroma_int+bitexact"

    /// Every frame of `path` as rgb24, converted by the ffmpeg tool with facestream's flags.
    static func referenceFrames(_ path: String, frameBytes: Int) throws -> [[UInt8]] {
        let output = path + ".rgb"
        try VideoFixtures.ffmpeg(["-i", path, "-sws_flags", swsFlags, "-pix_fmt", "rgb24", "-f", "rawvideo", output])
        defer { try? FileManager.default.removeItem(atPath: output) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
        return stride(from: 0, to: bytes.count, by: frameBytes).map {
            Array(bytes[$0..<min($0 + frameBytes, bytes.count)])
        }
    }

    static func checkEveryFrame(_ path: String, expectedFrames: Int) throws {
        let source = try FFmpegVideoSource(.file(path: path), logger: logger)
        let frames = try drain(source)
        #expect(frames.count == expectedFrames)
        let first = try #require(frames.first)
        let references = try referenceFrames(path, frameBytes: first.image.pixels.count)
        #expect(references.count == frames.count)
        for (frame, reference) in zip(frames, references) {
            let planes = try #require(frame.yuv420)
            #expect(frame.size == (planes.width, planes.height))
            #expect(frame.image.pixels == reference, "frame \(frame.index)")
        }
    }

    @Test func everyFrameOfAnH264VideoCarriesPlanesThatConvertLikeTheFFmpegTool() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-yuv")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make(
            "h264.mp4", in: folder, codec: VideoFixtures.h264, filter: VideoFixtures.panning, audio: false)
        try Self.checkEveryFrame(path, expectedFrames: 20)
    }

    @Test(arguments: [(96, 64), (322, 178)])
    func noiseConvertsLikeTheFFmpegTool(width: Int, height: Int) throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-yuv")
        defer { try? FileManager.default.removeItem(at: folder) }
        let frameCount = 4
        let path = try VideoFixtures.noiseYUV420(
            width: width, height: height, frames: frameCount, seed: UInt32(width * 7919 + height), in: folder)
        try Self.checkEveryFrame(path, expectedFrames: frameCount)
    }
}
