import Foundation
import TestSupport
import Testing
import V4L2Capture

@Suite struct YUYVConverterTests {
    /// YUYV test frame: random luma per pixel, chroma random per row but constant along it (so
    /// FFmpeg's horizontal chroma interpolation cannot differ from replication), plus the extremes.
    static func testFrame(width: Int, height: Int, bytesPerRow: Int) -> [UInt8] {
        var generator = SeededGenerator(seed: 0x5EED)
        var bytes = [UInt8](repeating: 0xEE, count: bytesPerRow * height)
        let extremes: [(UInt8, UInt8)] = [(0, 255), (255, 0), (128, 128), (0, 0), (255, 255)]
        for y in 0..<height {
            let (u, v) = y < extremes.count ? extremes[y] : (generator.byte(), generator.byte())
            for x in 0..<width {
                let luma: UInt8 = y == 0 && x < 4 ? [0, 16, 235, 255][x] : generator.byte()
                bytes[y * bytesPerRow + x * 2] = luma
                bytes[y * bytesPerRow + x * 2 + 1] = x % 2 == 0 ? u : v
            }
        }
        return bytes
    }

    /// Known answer from FFmpeg (libswscale, yuyv422 -> rgb24, BT.601 limited range). swscale's
    /// fixed point rounds differently from ours: at most 3 levels apart, under 1.5 on average.
    @Test func matchesFFmpegOnAnOddShape() throws {
        let (width, height) = (22, 37)
        let frame = Self.testFrame(width: width, height: height, bytesPerRow: width * 2)
        let reference = try ffmpegRGB(frame, width: width, height: height)
        let converted = try YUYVConverter.rgb(from: frame, width: width, height: height, bytesPerRow: width * 2)
        #expect(converted.pixels.count == reference.count)
        let differences = zip(converted.pixels, reference).map { abs(Int($0) - Int($1)) }
        #expect(differences.max()! <= 3)
        #expect(Double(differences.reduce(0, +)) / Double(differences.count) < 1.5)
    }

    @Test func rowPaddingIsSkipped() throws {
        let (width, height) = (6, 5)
        let packed = Self.testFrame(width: width, height: height, bytesPerRow: width * 2)
        var padded = [UInt8](repeating: 0x55, count: (width * 2 + 8) * height)
        for y in 0..<height {
            padded.replaceSubrange(
                (y * (width * 2 + 8))..<(y * (width * 2 + 8) + width * 2),
                with: packed[(y * width * 2)..<((y + 1) * width * 2)])
        }
        let a = try YUYVConverter.rgb(from: packed, width: width, height: height, bytesPerRow: width * 2)
        let b = try YUYVConverter.rgb(from: padded, width: width, height: height, bytesPerRow: width * 2 + 8)
        #expect(a == b)
    }

    @Test func truncatedFramesAndOddWidthsThrow() {
        #expect(throws: FrameConversionError.self) {
            try YUYVConverter.rgb(from: [UInt8](repeating: 0, count: 100), width: 8, height: 8, bytesPerRow: 16)
        }
        #expect(throws: FrameConversionError.self) {
            try YUYVConverter.rgb(from: [UInt8](repeating: 0, count: 1000), width: 7, height: 8, bytesPerRow: 14)
        }
    }

    private func ffmpegRGB(_ yuyv: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yuyv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.yuyv")
        let output = directory.appendingPathComponent("out.rgb")
        try Data(yuyv).write(to: input)
        let result = try ProcessRunner.run(
            "/usr/bin/ffmpeg",
            [
                "-v", "error", "-f", "rawvideo", "-pix_fmt", "yuyv422", "-s", "\(width)x\(height)", "-i", input.path,
                "-f", "rawvideo", "-pix_fmt", "rgb24", output.path,
            ])
        try #require(result.status == 0, "ffmpeg failed: \(result.stderr)")
        return [UInt8](try Data(contentsOf: output))
    }
}
