import Foundation
import JPEGCodec
import TestSupport
import Testing
import VideoCore

/// The JPEG encoder on a real photo: what it writes decodes back (with libjpeg-turbo and with
/// FFmpeg) to the same size and, within JPEG's loss, the same pixels.
@Suite struct JPEGEncoderTests {
    static func photo() throws -> RGBImage {
        let path = SharedData.images.appendingPathComponent("imgs/13.jpg").path
        return try JPEGDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The region `(x, y, width, height)` of `image`.
    static func region(_ image: RGBImage, _ x: Int, _ y: Int, _ width: Int, _ height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for row in y..<(y + height) {
            let start = (row * image.width + x) * 3
            pixels += image.pixels[start..<(start + width * 3)]
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Mean absolute difference per channel and peak signal-to-noise ratio in dB.
    static func difference(_ a: RGBImage, _ b: RGBImage) -> (mean: Double, psnr: Double) {
        var absolute = 0.0
        var squared = 0.0
        for (x, y) in zip(a.pixels, b.pixels) {
            let d = Double(x) - Double(y)
            absolute += abs(d)
            squared += d * d
        }
        let count = Double(a.pixels.count)
        return (absolute / count, 10 * log10(255 * 255 / max(squared / count, 1e-9)))
    }

    @Test func aPhotoEncodesAndDecodesBackWithinJPEGLoss() throws {
        let image = try Self.photo()
        let bytes = try JPEGEncoder.encode(image)
        #expect(bytes.starts(with: [0xFF, 0xD8]) && bytes.suffix(2) == [0xFF, 0xD9])
        let decoded = try JPEGDecoder.decode(bytes)
        #expect(decoded.width == image.width && decoded.height == image.height)
        let error = Self.difference(image, decoded)
        #expect(error.mean < 3 && error.psnr > 32, "mean \(error.mean), PSNR \(error.psnr) dB")
    }

    /// Odd sizes (4:2:0 chroma of a half pixel, partial 16x16 blocks) and a single pixel.
    @Test(arguments: [(83, 41, 37, 23), (0, 0, 1, 1), (200, 100, 16, 9)])
    func cropsOfOddSizesRoundTrip(crop: (Int, Int, Int, Int)) throws {
        let image = Self.region(try Self.photo(), crop.0, crop.1, crop.2, crop.3)
        let decoded = try JPEGDecoder.decode(try JPEGEncoder.encode(image))
        #expect(decoded.width == image.width && decoded.height == image.height)
        #expect(Self.difference(image, decoded).mean < 8)
    }

    @Test func higherQualityIsLargerAndCloser() throws {
        let image = try Self.photo()
        let low = try JPEGEncoder.encode(image, quality: 40)
        let high = try JPEGEncoder.encode(image, quality: 95)
        #expect(high.count > low.count)
        let lowError = Self.difference(image, try JPEGDecoder.decode(low))
        let highError = Self.difference(image, try JPEGDecoder.decode(high))
        #expect(highError.psnr > lowError.psnr + 3)
    }

    @Test func ffmpegReadsTheFile() throws {
        let folder = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = Self.region(try Self.photo(), 10, 20, 91, 127)
        let path = folder.appendingPathComponent("crop.jpg").path
        try Data(try JPEGEncoder.encode(image)).write(to: URL(fileURLWithPath: path))
        let raw = folder.appendingPathComponent("crop.rgb").path
        try ExternalTool.ffmpeg(["-i", path, "-pix_fmt", "rgb24", "-f", "rawvideo", raw])
        let pixels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        #expect(pixels.count == 91 * 127 * 3)
        let decoded = RGBImage(width: 91, height: 127, pixels: pixels)
        #expect(Self.difference(image, decoded).mean < 4)
    }

    @Test func qualityOutsideOneToHundredIsRefused() throws {
        let image = RGBImage(width: 2, height: 2, pixels: Array(repeating: 100, count: 12))
        for quality in [0, 101] {
            do {
                _ = try JPEGEncoder.encode(image, quality: quality)
                Issue.record("quality \(quality) was accepted")
            } catch {
                #expect(error.code == .encodingFailed && error.description.contains("encoding"))
            }
        }
    }
}
