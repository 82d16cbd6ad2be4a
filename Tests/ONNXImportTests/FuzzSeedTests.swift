import Foundation
import NeuralEngine
import ONNXImport
import TestSupport
import Testing

/// The ONNX seeds of `scripts/fuzz onnx` are small models built here, written when the fuzzer
/// starts: no model file is ever committed (the UltraFace ones come from ../shared/models or
/// upstream). `scripts/fuzz onnx` runs this suite with `$FACESTREAM_FUZZ_SEED_DIR` set to its
/// corpus folder.
@Suite struct FuzzSeedTests {
    static let seeds: [(name: String, model: TestModel)] = [
        ("convolution-relu.onnx", .convolutionRelu),
        ("ultraface-like.onnx", .ultraFaceLike),
        ("shape-ops.onnx", .shapeOperators),
    ]

    /// Writes the seeds to `$FACESTREAM_FUZZ_SEED_DIR` (or a temporary folder) and runs the ONNX
    /// fuzz harness, built normally, over them: each must pass its checks.
    @Test func theSeedsAreWrittenAndPassTheHarness() throws {
        let folder: URL
        if let directory = ProcessInfo.processInfo.environment["FACESTREAM_FUZZ_SEED_DIR"], !directory.isEmpty {
            folder = URL(fileURLWithPath: directory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } else {
            folder = try ProcessRunner.temporaryDirectory("onnx-seeds")
        }
        for (name, model) in Self.seeds {
            try Data(model.encoded).write(to: folder.appendingPathComponent(name))
        }
        let harness = URL(fileURLWithPath: FaceStreamBinary.path).deletingLastPathComponent()
            .appendingPathComponent("FuzzONNX")
        let result = try ProcessRunner.run(harness.path, Self.seeds.map { folder.appendingPathComponent($0.name).path })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(Self.seeds.count) inputs passed\n", "\(result.stdout)")
    }

    @Test(arguments: seeds.map(\.name))
    func seedLoadsAndCompiles(name: String) throws {
        let model = try #require(Self.seeds.first { $0.name == name }).model
        let graph = try ONNXImporter.load(bytes: model.encoded).graph
        _ = try CompiledModel(graph: graph)
    }
}

extension TestModel {
    /// X [1,3,8,8] -> two 1x1 convolutions -> NHWC -> [1,64,2] softmax scores and [1,64,4] exp boxes:
    /// the shape of an UltraFace model with box decoding in the graph, so the fuzzer reaches the
    /// layout inspection.
    static var ultraFaceLike: TestModel {
        var model = TestModel()
        model.outputs = ["scores", "boxes"]
        model.initializers = [
            TestTensor(name: "Ws", dims: [2, 3, 1, 1], data: .raw([0.5, -0.25, 1, -1, 0.75, 0.1])),
            TestTensor(name: "Wb", dims: [4, 3, 1, 1], data: .raw((0..<12).map { Float($0) * 0.1 - 0.6 })),
            TestTensor(name: "s2", dims: [3], data: .int64Data([1, -1, 2])),
            TestTensor(name: "s4", dims: [3], data: .int64Data([1, -1, 4])),
            TestTensor(name: "k", dims: [1], data: .floatData([0.5], packed: true)),
        ]
        model.nodes = [
            TestNode(
                name: "cs", opType: "Conv", inputs: ["X", "Ws"], outputs: ["A"],
                attributes: [.ints("kernel_shape", [1, 1])]),
            TestNode(opType: "Transpose", inputs: ["A"], outputs: ["At"], attributes: [.ints("perm", [0, 2, 3, 1])]),
            TestNode(opType: "Reshape", inputs: ["At", "s2"], outputs: ["Ar"]),
            TestNode(opType: "Softmax", inputs: ["Ar"], outputs: ["scores"], attributes: [.int("axis", 2)]),
            TestNode(
                name: "cb", opType: "Conv", inputs: ["X", "Wb"], outputs: ["B"],
                attributes: [.ints("kernel_shape", [1, 1])]),
            TestNode(opType: "Transpose", inputs: ["B"], outputs: ["Bt"], attributes: [.ints("perm", [0, 2, 3, 1])]),
            TestNode(opType: "Reshape", inputs: ["Bt", "s4"], outputs: ["Br"]),
            TestNode(opType: "Mul", inputs: ["Br", "k"], outputs: ["Bm"]),
            TestNode(opType: "Exp", inputs: ["Bm"], outputs: ["boxes"]),
        ]
        return model
    }

    /// Shape arithmetic (Shape, Gather, Unsqueeze, Concat, Slice) and element-wise operators.
    static var shapeOperators: TestModel {
        var model = TestModel()
        model.opsetVersion = 11
        model.inputs = [("X", [1, 4, 6])]
        model.initializers = [
            TestTensor(name: "i", dims: [], data: .int64Data([1])),
            TestTensor(name: "st", dims: [1], data: .int64Data([1])),
            TestTensor(name: "en", dims: [1], data: .int64Data([5])),
            TestTensor(name: "ax", dims: [1], data: .int64Data([2])),
            TestTensor(name: "two", dims: [1], data: .floatData([2], packed: false)),
        ]
        model.nodes = [
            TestNode(opType: "Shape", inputs: ["X"], outputs: ["S"]),
            TestNode(opType: "Gather", inputs: ["S", "i"], outputs: ["G"], attributes: [.int("axis", 0)]),
            TestNode(opType: "Unsqueeze", inputs: ["G"], outputs: ["U"], attributes: [.ints("axes", [0])]),
            TestNode(opType: "Slice", inputs: ["X", "st", "en", "ax"], outputs: ["L"]),
            TestNode(opType: "Sub", inputs: ["L", "two"], outputs: ["D"]),
            TestNode(opType: "Div", inputs: ["D", "two"], outputs: ["E"]),
            TestNode(opType: "Add", inputs: ["E", "L"], outputs: ["F"]),
            TestNode(opType: "Concat", inputs: ["F", "L"], outputs: ["Y"], attributes: [.int("axis", 1)]),
        ]
        return model
    }
}
