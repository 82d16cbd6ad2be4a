import CoreSupport
import FaceDetection
import Foundation
import JPEGCodec
import NeuralEngine
import TestSupport
import Testing

/// The one stored raw case without a stored input: RFB-1280-masked_face-v2 on imgs_17. The input
/// is made here from the JPEG (the same bytes as the reference's, checked against the manifest's
/// SHA-256) and the network's raw outputs are compared with ONNX Runtime's.
@Suite struct LargeModelRawOutputTests {
    @Test func rfb1280RawOutputsMatchONNXRuntime() throws {
        let manifest = try GoldenManifest.load()
        let golden = try #require(
            manifest.cases.first { $0.model == "RFB-1280-masked_face-v2" && $0.image == "imgs_17" })
        let outputs = try #require(golden.outputs, "the manifest stores RFB-1280 outputs for imgs_17")
        let entry = try #require(manifest.images["imgs_17"])
        let image = try JPEGDecoder.decode(
            [UInt8](try Data(contentsOf: SharedData.root.appendingPathComponent(entry.path))))
        var builder = InputTensorBuilder(width: 1280, height: 960)
        let input = builder.makeTensor(from: image)
        #expect(SHA256.hex(floats: input) == golden.input.sha256)

        let face = try CompiledFaceModel.load("RFB-1280-masked_face-v2")
        let results = try face.model.makeSession().run(input: input)
        let scores = try #require(results[face.layout.scoresOutput].floats)
        let boxes = try #require(results[face.layout.boxesOutput].floats)
        let referenceScores = try SharedData.readFloats(GoldenManifest.url(outputs.scores.path))
        let referenceBoxes = try SharedData.readFloats(GoldenManifest.url(outputs.boxes.path))
        try #require(scores.count == referenceScores.count && boxes.count == referenceBoxes.count)
        let scoreDiff = zip(scores, referenceScores).map { abs($0 - $1) }.max() ?? .infinity
        let boxDiff = zip(boxes, referenceBoxes).map { abs($0 - $1) }.max() ?? .infinity
        #expect(scoreDiff <= 1e-4, "scores max |diff| \(scoreDiff)")
        #expect(boxDiff <= 1e-4, "boxes max |diff| \(boxDiff)")
    }
}
