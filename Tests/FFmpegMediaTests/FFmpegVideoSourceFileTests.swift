import FFmpegMedia
import Foundation
import Logging
import TestSupport
import Testing
import VideoCore

/// Files made by the real ffmpeg, decoded by `FFmpegVideoSource`, checked against ffprobe.
@Suite struct FFmpegVideoSourceFileTests {
    static let logger = Logger(label: "test")

    /// (file name, codec options, filter, with audio)
    static let formats: [(String, [String], String, Bool)] = [
        ("h264.mp4", VideoFixtures.h264, VideoFixtures.panning, true),
        ("vp9.webm", VideoFixtures.vp9, VideoFixtures.panning, false),
        ("mjpeg.avi", VideoFixtures.mjpeg, VideoFixtures.panning, false),
        ("odd.webm", VideoFixtures.vp9, VideoFixtures.panning + ",scale=1279:719", false),
    ]

    @Test(arguments: formats.map(\.0))
    func decodesEveryFrameWithFFprobesTimestamps(fileName: String) throws {
        let format = Self.formats.first { $0.0 == fileName }!
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make(fileName, in: folder, codec: format.1, filter: format.2, audio: format.3)
        let expectedTimestamps = try VideoFixtures.probeTimestamps(path)
        let size = try VideoFixtures.probeSize(path)

        let source = try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        #expect(source.pacing == .file)
        let frames = try drain(source)
        #expect(frames.count == expectedTimestamps.count)
        #expect(frames.count == 20)
        #expect(frames.map(\.index) == Array(0..<frames.count))
        #expect(frames.allSatisfy { $0.image.width == size.width && $0.image.height == size.height })
        #expect(frames.allSatisfy { $0.receivedAt == nil })
        let timestamps = frames.map(\.pts)
        #expect(timestamps.allSatisfy { $0 != nil })
        #expect(zip(timestamps, timestamps.dropFirst()).allSatisfy { ($0 ?? 0) < ($1 ?? 0) })
        for (ours, theirs) in zip(timestamps, expectedTimestamps) {
            #expect(abs((ours ?? -1) - (theirs ?? -2)) < 1e-6)
        }
        let statistics = source.statistics
        #expect(statistics.framesDecoded == frames.count)
        #expect(statistics.corruptPackets == 0)
        #expect(statistics.expectedFrames.map { abs($0 - frames.count) <= 1 } ?? true)
        #expect(try isEnd(source.next()))
    }

    @Test func mp4DeclaresItsFrameCount() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make("h264.mp4", in: folder, codec: VideoFixtures.h264, audio: true)
        let source = try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        #expect(source.statistics.expectedFrames == 20)
    }

    /// With the same swscale flags the ffmpeg tool converts to the same bytes; with its defaults
    /// (bicubic, no accurate rounding, no full chroma interpolation) the difference stays small.
    @Test(arguments: ["h264.mp4", "mjpeg.avi", "odd.webm"])
    func firstFrameMatchesTheFFmpegTool(fileName: String) throws {
        let format = Self.formats.first { $0.0 == fileName }!
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make(fileName, in: folder, codec: format.1, filter: format.2, audio: format.3)
        let source = try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        guard case .frame(let frame) = try source.next() else {
            Issue.record("no frame")
            return
        }
        let same = try VideoFixtures.referenceRGB(path, swsFlags: "bilinear+accurate_rnd+full_chroma_int+bitexact")
        #expect(same == frame.image.pixels)
        let defaults = try VideoFixtures.referenceRGB(path, swsFlags: nil)
        try #require(defaults.count == frame.image.pixels.count)
        let differences = zip(defaults, frame.image.pixels).map { abs(Int($0) - Int($1)) }
        let mean = Double(differences.reduce(0, +)) / Double(differences.count)
        print("\(fileName): against ffmpeg's default conversion: mean |diff| \(mean), max \(differences.max() ?? 0)")
        #expect(mean < 3)
    }
}
