import CoreSupport
import FaceDetection
import Foundation
import JPEGCodec
import TestSupport
import Testing
import VideoCore

/// The input tensors of all 29 photos at the three network sizes must equal the reference bit for bit
/// (SHA-256 of the float32 bytes and float64 sum from the manifest).
@Suite struct InputTensorBuilderTests {
    static let manifest: GoldenManifest? = try? GoldenManifest.load()
    static let sizes = ["320x240", "640x480", "1280x960"]

    @Test(arguments: manifest?.imageIDs ?? [])
    func tensorsMatchReference(id: String) throws {
        let entry = try #require(Self.manifest?.images[id])
        let bytes = [UInt8](try Data(contentsOf: SharedData.root.appendingPathComponent(entry.path)))
        let image = try JPEGDecoder.decode(bytes)
        for size in Self.sizes {
            let expected = try #require(entry.inputs[size], "no \(size) input for \(id)")
            let parts = size.split(separator: "x").compactMap { Int($0) }
            var builder = InputTensorBuilder(width: parts[0], height: parts[1])
            let tensor = builder.makeTensor(from: image)
            #expect(tensor.count == expected.shape.reduce(1, *))
            #expect(SHA256.hex(floats: tensor) == expected.sha256, "\(id) at \(size)")
            #expect(tensor.reduce(0.0) { $0 + Double($1) } == expected.sum, "\(id) at \(size)")
        }
    }

    @Test func storedTensorIsReproducedExactly() throws {
        let entry = try #require(Self.manifest?.images["imgs_13"])
        let stored = try #require(entry.inputs["320x240"]?.path)
        let reference = try SharedData.readFloats(GoldenManifest.url(stored))
        let image = try JPEGDecoder.decode(
            [UInt8](try Data(contentsOf: SharedData.root.appendingPathComponent(entry.path))))
        var builder = InputTensorBuilder(width: 320, height: 240)
        let tensor = builder.makeTensor(from: image)
        #expect(tensor.count == reference.count)
        #expect(zip(tensor, reference).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
}
