import Foundation
import NeuralEngine
import ONNXImport
import TestSupport
import Testing

/// Facts about one shared model file, as the reference `onnx` Python package reports them.
///
/// Obtained once with onnx 1.23.2 in a venv: `m = onnx.load(path)`; `len(m.graph.initializer)`,
/// initializers counted by `data_type` (1 = FLOAT, 7 = INT64), `len(m.graph.node)`,
/// `collections.Counter(n.op_type for n in m.graph.node)`, and, with `numpy_helper.to_array`, the
/// number of float elements over all FLOAT initializers and the sum of their absolute values in float64.
struct SharedModelFacts: Sendable, CustomStringConvertible {
    var file: String
    var width: Int
    var height: Int
    var priors: Int
    var classes: Int
    var irVersion: Int64
    var producerVersion: String
    var floatInitializers: Int
    var int64Initializers: Int
    var floatElements: Int
    var floatAbsoluteSum: Double
    var histogram: [String: Int]

    var description: String { file }

    static let all: [SharedModelFacts] = [
        .init(
            file: "version-RFB-320.onnx", width: 320, height: 240, priors: 4420, classes: 2, irVersion: 4,
            producerVersion: "1.2", floatInitializers: 209, int64Initializers: 35, floatElements: 281_100,
            floatAbsoluteSum: 7621.061048,
            histogram: [
                "Add": 3, "BatchNormalization": 35, "Concat": 13, "Constant": 31, "Conv": 52, "Div": 2, "Exp": 1,
                "Gather": 8, "Mul": 4, "Relu": 37, "Reshape": 8, "Shape": 8, "Slice": 6, "Softmax": 1, "Sub": 1,
                "Transpose": 8, "Unsqueeze": 24,
            ]),
        .init(
            file: "version-RFB-320_without_postprocessing.onnx", width: 320, height: 240, priors: 4420, classes: 2,
            irVersion: 4, producerVersion: "1.2", floatInitializers: 209, int64Initializers: 35,
            floatElements: 281_100, floatAbsoluteSum: 7621.061048,
            histogram: [
                "Add": 1, "BatchNormalization": 35, "Concat": 11, "Constant": 24, "Conv": 52, "Gather": 8, "Relu": 37,
                "Reshape": 8, "Shape": 8, "Softmax": 1, "Transpose": 8, "Unsqueeze": 24,
            ]),
        .init(
            file: "version-RFB-320_simplified.onnx", width: 320, height: 240, priors: 4420, classes: 2, irVersion: 4,
            producerVersion: "1.2", floatInitializers: 104, int64Initializers: 8, floatElements: 273_888,
            floatAbsoluteSum: 33343.715418,
            histogram: ["Add": 1, "Concat": 3, "Conv": 52, "Relu": 37, "Reshape": 8, "Softmax": 1, "Transpose": 8]),
        .init(
            file: "version-slim-320.onnx", width: 320, height: 240, priors: 4420, classes: 2, irVersion: 4,
            producerVersion: "1.2", floatInitializers: 159, int64Initializers: 25, floatElements: 264_732,
            floatAbsoluteSum: 6293.322049,
            histogram: [
                "Add": 2, "BatchNormalization": 25, "Concat": 12, "Constant": 31, "Conv": 42, "Div": 2, "Exp": 1,
                "Gather": 8, "Mul": 4, "Relu": 34, "Reshape": 8, "Shape": 8, "Slice": 6, "Softmax": 1, "Sub": 1,
                "Transpose": 8, "Unsqueeze": 24,
            ]),
        .init(
            file: "version-slim-320_without_postprocessing.onnx", width: 320, height: 240, priors: 4420, classes: 2,
            irVersion: 4, producerVersion: "1.2", floatInitializers: 159, int64Initializers: 25,
            floatElements: 264_732, floatAbsoluteSum: 6293.322049,
            histogram: [
                "BatchNormalization": 25, "Concat": 10, "Constant": 24, "Conv": 42, "Gather": 8, "Relu": 34,
                "Reshape": 8, "Shape": 8, "Softmax": 1, "Transpose": 8, "Unsqueeze": 24,
            ]),
        .init(
            file: "version-slim-320_simplified.onnx", width: 320, height: 240, priors: 4420, classes: 2, irVersion: 4,
            producerVersion: "1.2", floatInitializers: 84, int64Initializers: 8, floatElements: 257_916,
            floatAbsoluteSum: 26816.633701,
            histogram: ["Concat": 2, "Conv": 42, "Relu": 34, "Reshape": 8, "Softmax": 1, "Transpose": 8]),
        .init(
            file: "version-RFB-640.onnx", width: 640, height: 480, priors: 17640, classes: 2, irVersion: 4,
            producerVersion: "1.3", floatInitializers: 209, int64Initializers: 35, floatElements: 281_100,
            floatAbsoluteSum: 7817.188061,
            histogram: [
                "Add": 3, "BatchNormalization": 35, "Concat": 13, "Constant": 31, "Conv": 52, "Div": 2, "Exp": 1,
                "Gather": 8, "Mul": 4, "Relu": 37, "Reshape": 8, "Shape": 8, "Slice": 6, "Softmax": 1, "Sub": 1,
                "Transpose": 8, "Unsqueeze": 24,
            ]),
        .init(
            file: "RFB-640-masked_face-v2.onnx", width: 640, height: 480, priors: 17640, classes: 3, irVersion: 6,
            producerVersion: "1.9", floatInitializers: 106, int64Initializers: 16, floatElements: 281_772,
            floatAbsoluteSum: 37254.681566, histogram: maskedHistogram),
        .init(
            file: "RFB-1280-masked_face-v2.onnx", width: 1280, height: 960, priors: 70500, classes: 3, irVersion: 6,
            producerVersion: "1.9", floatInitializers: 106, int64Initializers: 16, floatElements: 281_772,
            floatAbsoluteSum: 37254.681566, histogram: maskedHistogram),
    ]

    private static let maskedHistogram = [
        "Add": 3, "Concat": 13, "Constant": 14, "Conv": 52, "Div": 2, "Exp": 1, "Gather": 8, "Mul": 5, "Relu": 37,
        "Reshape": 8, "Shape": 8, "Slice": 6, "Softmax": 1, "Sub": 1, "Transpose": 8, "Unsqueeze": 8,
    ]
}

@Suite struct SharedModelLoadingTests {
    @Test(arguments: SharedModelFacts.all)
    func loadsSharedModel(_ facts: SharedModelFacts) throws {
        let model = try ONNXImporter.load(contentsOf: SharedData.model(facts.file))
        let graph = model.graph

        #expect(model.irVersion == facts.irVersion)
        #expect(model.operatorSetVersion == 9)
        #expect(model.producerName == "pytorch")
        #expect(model.producerVersion == facts.producerVersion)

        #expect(graph.inputs == [Graph.Input(name: "input", shape: [1, 3, facts.height, facts.width])])
        #expect(graph.outputs == ["scores", "boxes"])

        let floats = graph.constants.values.compactMap(\.floats)
        #expect(floats.count == facts.floatInitializers)
        #expect(graph.constants.values.compactMap(\.int64s).count == facts.int64Initializers)
        #expect(floats.reduce(0) { $0 + $1.count } == facts.floatElements)
        let absoluteSum = floats.reduce(0.0) { total, values in values.reduce(total) { $0 + Double(abs($1)) } }
        #expect(abs(absoluteSum - facts.floatAbsoluteSum) < 1e-3)

        #expect(histogram(of: graph) == facts.histogram)
    }

    /// Node counts keyed by ONNX operator name, so they compare with what `onnx` reports.
    private func histogram(of graph: Graph) -> [String: Int] {
        var counts: [String: Int] = [:]
        for node in graph.nodes {
            let name: String =
                switch node.operation {
                case .convolution: "Conv"
                case .batchNormalization: "BatchNormalization"
                case .relu: "Relu"
                case .concat: "Concat"
                case .reshape: "Reshape"
                case .transpose: "Transpose"
                case .softmax: "Softmax"
                case .add: "Add"
                case .sub: "Sub"
                case .mul: "Mul"
                case .div: "Div"
                case .exp: "Exp"
                case .slice: "Slice"
                case .gather: "Gather"
                case .unsqueeze: "Unsqueeze"
                case .shape: "Shape"
                case .constant: "Constant"
                }
            counts[name, default: 0] += 1
        }
        return counts
    }
}

/// Operator attributes of `version-RFB-320.onnx` against the facts in `shared/models/README.md`
/// ("Notes for an engine loading these graphs").
@Test func rfb320AttributesMatchTheModelNotes() throws {
    let graph = try ONNXImporter.load(contentsOf: SharedData.model("version-RFB-320.onnx")).graph
    var dilations: Set<Int> = []
    var pads: Set<Int> = []
    var strides: Set<Int> = []
    var depthwise = 0
    for node in graph.nodes {
        switch node.operation {
        case .convolution(let attributes):
            dilations.formUnion(attributes.dilations)
            pads.formUnion(attributes.pads)
            strides.formUnion(attributes.strides)
            let weights = try #require(graph.constants[node.inputs[1]])
            #expect(attributes.kernelShape == Array(weights.shape[2...]), "\(node.name)")
            if attributes.groups > 1 && weights.shape[1] == 1 { depthwise += 1 }
        case .transpose(let permutation):
            #expect(permutation == [0, 2, 3, 1], "\(node.name)")
        case .softmax(let axis):
            #expect(axis == 2)
        case .slice(_, let ends, let axes):
            #expect(axes == [2], "\(node.name)")
            #expect(ends.count == 1)
        case .batchNormalization(let epsilon):
            #expect(epsilon == 1e-5)
        default:
            break
        }
    }
    #expect(dilations == [1, 2, 3, 5])
    #expect(pads == [0, 1, 2, 3, 5])
    #expect(strides == [1, 2])
    #expect(depthwise > 0)
    let sliceEnds = graph.nodes.compactMap { node -> Int64? in
        if case .slice(_, let ends, _) = node.operation { return ends[0] }
        return nil
    }
    #expect(sliceEnds.contains(Int64.max))
}
