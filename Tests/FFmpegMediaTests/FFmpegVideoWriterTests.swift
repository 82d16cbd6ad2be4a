import FFmpegMedia
import Foundation
import Logging
import TestSupport
import Testing
import VideoCore

/// Videos written by `FFmpegVideoWriter`, checked with the real `ffprobe` and decoded back.
@Suite struct FFmpegVideoWriterTests {
    static let logger = Logger(label: "test")
    /// The region each test picture has painted black (columns, rows).
    static let dark = (x: 40..<120, y: 60..<140)

    /// 20 pictures of 320x240 panning across the shared photo, each with `dark` painted black.
    static func pictures() throws -> [RGBImage] {
        let photo = try FFmpegImageDecoder.decode(contentsOf: VideoFixtures.photo)
        return (0..<20).map { index in
            let (left, top) = (index * 5, index * 4)
            var pixels = [UInt8](repeating: 0, count: 320 * 240 * 3)
            for y in 0..<240 {
                let source = ((top + y) * photo.width + left) * 3
                pixels.replaceSubrange((y * 960)..<(y * 960 + 960), with: photo.pixels[source..<(source + 960)])
                if dark.y.contains(y) {
                    for x in dark.x {
                        pixels.replaceSubrange((y * 960 + x * 3)..<(y * 960 + x * 3 + 3), with: [0, 0, 0])
                    }
                }
            }
            return RGBImage(width: 320, height: 240, pixels: pixels)
        }
    }

    /// `ffprobe -count_frames` facts about the first video stream.
    static func probe(_ path: String) throws -> (codec: String, width: Int, height: Int, frames: Int, duration: Double)
    {
        let text = try VideoFixtures.run(
            "ffprobe",
            [
                "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "default=nw=1", path,
            ])
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return (
            fields["codec_name"] ?? "?", Int(fields["width"] ?? "") ?? -1, Int(fields["height"] ?? "") ?? -1,
            Int(fields["nb_read_frames"] ?? "") ?? -1, Double(fields["duration"] ?? "") ?? -1
        )
    }

    /// Mean of all channels of `image` over `region`.
    static func mean(_ image: RGBImage, _ xs: Range<Int>, _ ys: Range<Int>) -> Double {
        var sum = 0
        for y in ys { for x in xs { for c in 0..<3 { sum += Int(image.pixels[(y * image.width + x) * 3 + c]) } } }
        return Double(sum) / Double(xs.count * ys.count * 3)
    }

    static var hasVP9: Bool {
        (try? VideoFixtures.run("ffmpeg", ["-hide_banner", "-encoders"]))?.contains("libvpx-vp9") ?? false
    }

    @Test(arguments: [("out.mp4", "h264"), ("out.mkv", "h264"), ("out.mov", "h264"), ("out.webm", "vp9")])
    func writesAPlayableVideoWithEveryFrame(fileName: String, codec: String) throws {
        if codec == "vp9" && !Self.hasVP9 { return }
        let folder = try ProcessRunner.temporaryDirectory("facestream-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(fileName).path
        let pictures = try Self.pictures()
        let writer = try FFmpegVideoWriter(path: path, width: 320, height: 240, frameRate: 10)
        for (index, picture) in pictures.enumerated() { try writer.write(picture, pts: Double(index) / 10) }
        try writer.finish()
        #expect(writer.framesWritten == 20)

        let facts = try Self.probe(path)
        #expect(facts.codec == codec)
        #expect(facts.width == 320 && facts.height == 240)
        #expect(facts.frames == 20)
        #expect(abs(facts.duration - 2.0) < 0.11, "duration \(facts.duration)")
        let timestamps = try VideoFixtures.probeTimestamps(path)
        for (index, time) in timestamps.enumerated() { #expect(abs((time ?? -1) - Double(index) / 10) < 0.002) }

        let frames = try drain(FFmpegVideoSource(.file(path: path), logger: Self.logger))
        #expect(frames.count == 20)
        for (frame, picture) in zip(frames, pictures) {
            #expect(
                Self.mean(frame.image, Self.dark.x.dropFirst(4).dropLast(4), Self.dark.y.dropFirst(4).dropLast(4)) < 24)
            let lit = (x: 160..<300, y: 20..<220)
            #expect(abs(Self.mean(frame.image, lit.x, lit.y) - Self.mean(picture, lit.x, lit.y)) < 6)
        }
    }

    @Test func keepsIrregularSourceTimestampsAndMakesThemIncreasing() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vfr.mkv").path
        let picture = try Self.pictures()[0]
        let writer = try FFmpegVideoWriter(path: path, width: 320, height: 240, frameRate: 25)
        let given: [Double?] = [5.0, 5.04, 5.2, 5.2, 5.1, nil, 6.5]
        for pts in given { try writer.write(picture, pts: pts) }
        try writer.finish()
        let stored = try VideoFixtures.probeTimestamps(path).compactMap { $0 }
        // Matroska keeps milliseconds: a repeated or earlier time moves 1 ms after the previous one;
        // a missing one comes one nominal frame (40 ms) later.
        let expected = [5.0, 5.04, 5.2, 5.201, 5.202, 5.242, 6.5]
        #expect(stored.count == expected.count)
        for (ours, theirs) in zip(stored, expected) { #expect(abs(ours - theirs) < 0.0015, "\(stored)") }
    }

    @Test func anUnfinishedWriterStillLeavesAPlayableFile() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("interrupted.mp4").path
        let pictures = try Self.pictures()
        do {
            let writer = try FFmpegVideoWriter(path: path, width: 320, height: 240, frameRate: 10)
            for (index, picture) in pictures.prefix(7).enumerated() {
                try writer.write(picture, pts: Double(index) / 10)
            }
        }
        let facts = try Self.probe(path)
        #expect(facts.frames == 7)
    }

    @Test func aMissingFolderThrowsCannotOpen() throws {
        let path = "/nonexistent-facestream-folder/out.mp4"
        let error = #expect(throws: FFmpegError.self) {
            try FFmpegVideoWriter(path: path, width: 320, height: 240, frameRate: 10)
        }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.operation == "avio_open")
        #expect(error?.resource == path)
        #expect(error?.description.contains("No such file or directory") == true)
    }

    @Test func unknownEncoderOrContainerThrowsUnsupported() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let encoder = #expect(throws: FFmpegError.self) {
            try FFmpegVideoWriter(
                path: folder.appendingPathComponent("a.mp4").path, width: 64, height: 64, frameRate: 10,
                options: VideoEncoderOptions(codec: "no-such-encoder"))
        }
        #expect(encoder?.kind == .unsupported)
        #expect(encoder?.message.contains("no-such-encoder") == true)
        let container = #expect(throws: FFmpegError.self) {
            try FFmpegVideoWriter(
                path: folder.appendingPathComponent("a.nothing").path, width: 64, height: 64, frameRate: 10)
        }
        #expect(container?.kind == .unsupported)
        #expect(container?.operation == "avformat_alloc_output_context2")
    }

    @Test func badSizesThrowInvalidSize() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let zero = #expect(throws: FFmpegError.self) {
            try FFmpegVideoWriter(
                path: folder.appendingPathComponent("z.mkv").path, width: 0, height: 64, frameRate: 10)
        }
        #expect(zero?.kind == .invalidSize)
        let writer = try FFmpegVideoWriter(
            path: folder.appendingPathComponent("s.mkv").path, width: 64, height: 64, frameRate: 10)
        let wrong = #expect(throws: FFmpegError.self) {
            try writer.write(RGBImage(width: 32, height: 64, pixels: [UInt8](repeating: 9, count: 32 * 64 * 3)), pts: 0)
        }
        #expect(wrong?.kind == .invalidSize)
        try writer.finish()
        try writer.finish()  // a second finish does nothing
    }
}
