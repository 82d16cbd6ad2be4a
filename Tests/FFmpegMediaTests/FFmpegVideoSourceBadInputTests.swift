import FFmpegMedia
import Foundation
import Logging
import TestSupport
import Testing
import VideoCore

/// Damaged files decode as far as they can and count the damage; unusable inputs throw one clear error.
@Suite struct FFmpegVideoSourceBadInputTests {
    static let logger = Logger(label: "test")

    @Test func truncatedFileDecodesItsFirstPartAndCountsTheCut() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make("cut.mp4", in: folder, codec: VideoFixtures.h264, audio: true)
        try VideoFixtures.truncate(path, toFraction: 0.6)
        let expected = try VideoFixtures.probeTimestamps(path).count
        let source = try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        let frames = try drain(source)
        print("cut.mp4: \(frames.count) frames (ffprobe: \(expected)), \(source.statistics.corruptPackets) corrupt")
        #expect(frames.count > 0 && frames.count < 20)
        #expect(abs(frames.count - expected) <= 1)
        #expect(source.statistics.corruptPackets > 0)
        #expect(try isEnd(source.next()))
    }

    /// H.264: a tenth of the file, random bytes over a few whole frames, so at least one slice header
    /// is hit (damage inside entropy-coded data alone can decode silently). MJPEG in AVI: 2000
    /// bytes inside one frame (more also destroys chunk headers, and the demuxer skips silently).
    /// (Both fixtures are deterministic: single-threaded x264, MJPEG.)
    @Test(arguments: [("garbage.mp4", VideoFixtures.h264, 0.45, 0.1), ("garbage.avi", VideoFixtures.mjpeg, 0.5, 0.0)])
    func garbageInTheMiddleIsCountedNotThrown(
        fileName: String, codec: [String], at position: Double, damagedFraction: Double
    ) throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make(fileName, in: folder, codec: codec)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        try VideoFixtures.overwrite(path, atFraction: position, count: max(2000, Int(Double(size) * damagedFraction)))
        let source = try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        let frames = try drain(source)
        print("\(fileName): \(frames.count) frames, \(source.statistics.corruptPackets) corrupt")
        #expect(frames.count >= 10)
        #expect(source.statistics.corruptPackets > 0)
        #expect(frames.allSatisfy { $0.image.width == 320 && $0.image.height == 240 })
    }

    @Test func missingFileThrowsNamingThePath() throws {
        let path = "/nonexistent/folder/clip.mp4"
        let error = try #require(throws: FFmpegError.self) {
            try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        }
        #expect(error.kind == .cannotOpen)
        #expect(error.resource == path)
        // The user's line says what and what to do (the caller names the input); the FFmpeg call
        // and its error number are only in the detailed text (--verbose).
        #expect(error.description == "no such file; check the path")
        #expect(!error.description.contains("avformat") && !error.description.contains("AVERROR"))
        #expect(error.detailedDescription.contains("avformat_open_input failed for \(path)"))
        #expect(error.detailedDescription.contains("AVERROR"))
        print("missing: \(error)")
    }

    @Test func textFileThrowsAsNotAVideo() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.mp4").path
        try Data("These are notes, not a video.\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: FFmpegError.self) {
            try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        }
        #expect(error.kind == .invalidData)
        #expect(error.description.contains("not a video format"))
        print("text: \(error)")
    }

    @Test func audioOnlyFileThrowsNoVideoStream() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("tone.m4a").path
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path])
        let error = try #require(throws: FFmpegError.self) {
            try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        }
        #expect(error.kind == .noPicture)
        #expect(error.description == "holds only audio, no video stream; give a video input")
        print("audio only: \(error)")
    }

    /// A WebM whose codec ID is renamed to one no decoder knows ("V_VP9" -> "V_QQ9", same length).
    @Test func unknownCodecThrowsUnsupported() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make("unknown.webm", in: folder, codec: VideoFixtures.vp9)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let codecID = Array("V_VP9".utf8)
        let position = try #require(
            (0...(bytes.count - codecID.count)).first { bytes[$0..<($0 + codecID.count)].elementsEqual(codecID) })
        bytes.replaceSubrange(position..<(position + codecID.count), with: Array("V_QQ9".utf8))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: FFmpegError.self) {
            try FFmpegVideoSource(.file(path: path), logger: Self.logger)
        }
        #expect(error.kind == .unsupported)
        #expect(error.description.contains("no decoder"))
        print("unknown codec: \(error)")
    }

    @Test func argumentsAreClassified() {
        #expect(VideoInput(argument: "-") == .standardInput)
        #expect(VideoInput(argument: "rtsp://cam/stream") == .url("rtsp://cam/stream"))
        #expect(VideoInput(argument: "clips/a:b.mp4") == .file(path: "clips/a:b.mp4"))
        #expect(VideoInput(argument: "-").pacing == .file)
        #expect(VideoInput(argument: "udp://127.0.0.1:1234").pacing == .live)
    }
}
