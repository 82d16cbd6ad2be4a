import CoreSupport
import Foundation
import JPEGCodec
import TestSupport
import Testing
import VideoCore

@Suite struct JPEGDecoderTests {
    static let manifest: GoldenManifest? = try? GoldenManifest.load()
    static var imageIDs: [String] { manifest?.imageIDs ?? [] }

    static func photoBytes(_ id: String) throws -> [UInt8] {
        let image = try #require(manifest?.images[id], "manifest has no image \(id)")
        return [UInt8](try Data(contentsOf: SharedData.root.appendingPathComponent(image.path)))
    }

    @Test func manifestListsAllPhotos() throws {
        #expect(try #require(Self.manifest).images.count == 29)
    }

    @Test(arguments: imageIDs)
    func decodedPixelsMatchOpenCV(id: String) throws {
        let entry = try #require(Self.manifest?.images[id])
        let image = try JPEGDecoder.decode(try Self.photoBytes(id))
        #expect(image.width == entry.width)
        #expect(image.height == entry.height)
        #expect(SHA256.hex(image.pixels) == entry.decodedRGBSHA256)
    }

    @Test func emptyInputThrows() {
        #expect(throws: ImageDecodingError.self) { try JPEGDecoder.decode([]) }
        do {
            _ = try JPEGDecoder.decode([])
        } catch {
            #expect(error.code == .emptyInput)
        }
    }

    @Test func textIsNotAJPEG() {
        do {
            _ = try JPEGDecoder.decode(Array("hello, this is not a picture".utf8))
            Issue.record("decoding text succeeded")
        } catch {
            #expect(error.code == .malformed)
            #expect(!error.message.isEmpty)
        }
    }

    @Test(arguments: [0.1, 0.5, 0.9, 0.999])
    func truncatedPhotoThrows(fraction: Double) throws {
        let bytes = try Self.photoBytes("imgs_13")
        let truncated = Array(bytes.prefix(Int(Double(bytes.count) * fraction)))
        do {
            _ = try JPEGDecoder.decode(truncated)
            Issue.record("decoding \(truncated.count) of \(bytes.count) bytes succeeded")
        } catch {
            #expect(error.code == .corruptData || error.code == .malformed, "\(error)")
        }
    }

    @Test func truncatedProgressivePhotoThrows() throws {
        let bytes = try Self.photoBytes("imgs_17")
        #expect(throws: ImageDecodingError.self) { try JPEGDecoder.decode(Array(bytes.prefix(bytes.count / 2))) }
    }

    @Test func headerOnlyThrows() throws {
        let bytes = try Self.photoBytes("imgs_13")
        #expect(throws: ImageDecodingError.self) { try JPEGDecoder.decode(Array(bytes.prefix(200))) }
    }

    /// Overwrites a run of entropy-coded bytes in the middle of the scan with 0xFF 0xD9-free garbage.
    @Test func corruptedScanDataThrows() throws {
        var bytes = try Self.photoBytes("imgs_13")
        var generator = SeededGenerator(seed: 42)
        let start = bytes.count / 2
        for index in start..<(start + 64) { bytes[index] = UInt8.random(in: 0...0xFE, using: &generator) }
        bytes[start] = 0xFF
        bytes[start + 1] = 0xC4  // a stray marker inside entropy data
        #expect(throws: ImageDecodingError.self) { try JPEGDecoder.decode(bytes) }
    }

    @Test func absurdSizeInHeaderIsRefusedBeforeDecoding() throws {
        var bytes = try Self.photoBytes("imgs_13")
        // Find the SOF0 marker (FF C0) and set height and width to 65000.
        let sof = try #require((0..<(bytes.count - 9)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 5] = 0xFD
        bytes[sof + 6] = 0xE8
        bytes[sof + 7] = 0xFD
        bytes[sof + 8] = 0xE8
        do {
            _ = try JPEGDecoder.decode(bytes)
            Issue.record("65000x65000 header accepted")
        } catch {
            #expect(error.code == .tooLarge)
        }
    }
}
