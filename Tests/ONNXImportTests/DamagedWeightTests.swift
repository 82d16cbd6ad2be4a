import Foundation
import NeuralEngine
import ONNXImport
import TestSupport
import Testing

/// Weights a flipped byte can make: refused at load with a message that says the file is damaged.
@Suite struct DamagedWeightTests {
    static func load(_ model: TestModel) -> ONNXImportError? {
        do {
            _ = try ONNXImporter.load(bytes: model.encoded)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func aNonFiniteWeightIsRefused(value: Float) throws {
        for packed in [false, true] {
            var model = TestModel.convolutionRelu
            var weights = (0..<108).map { Float($0) * 0.25 - 13 }
            weights[57] = value
            model.initializers[0].data = packed ? .floatData(weights, packed: true) : .raw(weights)
            let error = try #require(Self.load(model))
            #expect(error.code == .malformed)
            #expect(error.description.contains("weight 'W' holds \(value) at element 57"), "\(error)")
            #expect(error.description.contains("the file is damaged"))
        }
    }

    @Test func aNegativeBatchNormVarianceIsRefused() throws {
        var model = TestModel()
        model.inputs = [("X", [1, 2, 4, 4])]
        model.initializers = [
            TestTensor(name: "s", dims: [2], data: .raw([1, 1])),
            TestTensor(name: "b", dims: [2], data: .raw([0, 0])),
            TestTensor(name: "m", dims: [2], data: .raw([0, 0])),
            TestTensor(name: "v", dims: [2], data: .raw([1, -0.5])),
        ]
        model.nodes = [
            TestNode(name: "bn", opType: "BatchNormalization", inputs: ["X", "s", "b", "m", "v"], outputs: ["Y"])
        ]
        let error = try #require(Self.load(model))
        #expect(error.node == "bn")
        #expect(error.description.contains("variance 'v' is negative (-0.5) at element 1"), "\(error)")
        model.initializers[3].data = .raw([1, 0])
        #expect(Self.load(model) == nil)
    }

    /// A real model file with one weight overwritten by NaN bytes: the binary refuses it with exit
    /// 65 and one line, instead of writing `"box":[null,null,null,null]` or nothing.
    @Test func theBinaryRefusesARealModelWithANaNWeight() throws {
        let original = try Data(contentsOf: SharedData.model("version-RFB-320.onnx"))
        let graph = try ONNXImporter.load(bytes: Array(original)).graph
        // The first weight of the largest convolution, found by its bytes in the file.
        let (name, tensor) = try #require(
            graph.constants.max { $0.value.shape.reduce(1, *) < $1.value.shape.reduce(1, *) })
        let floats = try #require(tensor.floats)
        let needle = floats.prefix(4).flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let offset = try #require(
            original.firstRange(of: Data(needle))?.lowerBound, "weight \(name) not found as raw bytes")
        var damaged = original
        damaged.replaceSubrange(
            offset..<offset + 4, with: withUnsafeBytes(of: Float.nan.bitPattern.littleEndian, Array.init))
        let dir = try ProcessRunner.temporaryDirectory("damaged-model")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("damaged.onnx").path
        try damaged.write(to: URL(fileURLWithPath: path))
        let photo = SharedData.images.appendingPathComponent("imgs/13.jpg").path
        let result = try ProcessRunner.run(FaceStreamBinary.path, ["detect", "--model", path, photo])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("holds nan") && lines[0].contains("damaged"), "\(result.stderr)")
    }

    @Test func aTruncatedModelSaysSo() throws {
        let original = try Data(contentsOf: SharedData.model("version-slim-320.onnx"))
        for length in [40, 5000, original.count / 2, original.count - 3] {
            let error = try #require(Self.loadBytes(Array(original.prefix(length))))
            #expect(error.code == .truncated)
            #expect(error.description.contains("truncated"), "\(length): \(error)")
        }
    }

    static func loadBytes(_ bytes: [UInt8]) -> ONNXImportError? {
        do {
            _ = try ONNXImporter.load(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }
}
