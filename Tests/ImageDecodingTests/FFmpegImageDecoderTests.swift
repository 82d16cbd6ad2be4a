import FFmpegMedia
import Foundation
import JPEGCodec
import TestSupport
import Testing
import VideoCore

/// Pictures made during the run with the `ffmpeg` tool from our own decoded RGB (written as PPM, so every
/// conversion is lossless) must decode back to exactly those bytes.
@Suite struct FFmpegImageDecoderTests {
    /// The reference picture: a shared photo decoded by the JPEG decoder.
    static func referencePicture() throws -> RGBImage {
        let bytes = [UInt8](try Data(contentsOf: SharedData.images.appendingPathComponent("imgs/13.jpg")))
        return try JPEGDecoder.decode(bytes)
    }

    /// Binary PPM (P6) of an RGB picture.
    static func ppm(_ image: RGBImage) -> Data {
        var data = Data("P6\n\(image.width) \(image.height)\n255\n".utf8)
        data.append(contentsOf: image.pixels)
        return data
    }

    /// (file extension, extra ffmpeg output options) of lossless encodings.
    static let losslessFormats: [(String, [String])] = [
        ("png", []), ("bmp", []), ("tiff", []), ("ppm", []), ("webp", ["-c:v", "libwebp", "-lossless", "1"]),
    ]

    @Test(arguments: losslessFormats.map(\.0))
    func losslessFileDecodesToTheSamePixels(fileExtension: String) throws {
        let options = Self.losslessFormats.first { $0.0 == fileExtension }!.1
        let folder = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = try Self.referencePicture()
        let source = folder.appendingPathComponent("source.ppm")
        try Self.ppm(reference).write(to: source)
        let converted = folder.appendingPathComponent("picture.\(fileExtension)")
        try ExternalTool.ffmpeg(["-i", source.path] + options + ["-frames:v", "1", "-update", "1", converted.path])
        let decoded = try FFmpegImageDecoder.decode(contentsOf: converted.path)
        #expect(decoded.width == reference.width && decoded.height == reference.height)
        #expect(decoded.pixels == reference.pixels)
    }

    @Test func fileNameWithPercentSignIsTakenLiterally() throws {
        let folder = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = try Self.referencePicture()
        let source = folder.appendingPathComponent("frame%03d.ppm")
        try Self.ppm(reference).write(to: source)
        #expect(try FFmpegImageDecoder.decode(contentsOf: source.path) == reference)
    }

    @Test func missingFileThrowsCannotOpen() {
        let path = "/nonexistent/facestream/picture.png"
        do {
            _ = try FFmpegImageDecoder.decode(contentsOf: path)
            Issue.record("decoding a missing file succeeded")
        } catch {
            #expect(error.kind == .cannotOpen)
            #expect(error.operation == "avformat_open_input")
            #expect(error.resource == path)
            #expect(error.code < 0)
            #expect(error.message.contains("No such file"))
        }
    }

    /// (file name, content) of files that hold no picture.
    static let badFiles: [(String, [UInt8])] = [
        ("empty.png", []),
        ("empty.bin", []),
        ("garbage.png", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }),
        ("garbage.bin", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 40_503 >> 3) }),
        ("notes.csv", Array("name,value\nalpha,1\nbeta,2\n".utf8)),
        ("truncated.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0]),
    ]

    @Test(arguments: badFiles.map(\.0))
    func fileWithoutPictureThrows(name: String) throws {
        let content = Self.badFiles.first { $0.0 == name }!.1
        let folder = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(name).path
        try Data(content).write(to: URL(fileURLWithPath: path))
        do {
            let image = try FFmpegImageDecoder.decode(contentsOf: path)
            Issue.record("\(name) decoded to a \(image.width)x\(image.height) picture")
        } catch {
            #expect(error.resource == path)
            #expect(!error.operation.isEmpty)
            #expect(!error.message.isEmpty)
            #expect(error.kind != .outOfMemory)
        }
    }

    @Test func truncatedPNGThrows() throws {
        let folder = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.ppm")
        try Self.ppm(try Self.referencePicture()).write(to: source)
        let png = folder.appendingPathComponent("full.png")
        try ExternalTool.ffmpeg(["-i", source.path, "-frames:v", "1", "-update", "1", png.path])
        let bytes = try Data(contentsOf: png)
        let truncated = folder.appendingPathComponent("cut.png")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        #expect(throws: FFmpegError.self) { try FFmpegImageDecoder.decode(contentsOf: truncated.path) }
    }
}
