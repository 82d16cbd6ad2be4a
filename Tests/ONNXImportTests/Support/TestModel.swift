/// ONNX models described in code and encoded with `ProtobufWriter`, field numbers as in onnx.proto.
struct TestModel {
    var irVersion: Int64 = 7
    var opsetVersion: Int64? = 9
    var producerName = "tests"
    /// Graph inputs: name and dims (nil = a symbolic `dim_param`).
    var inputs: [(name: String, dims: [Int64?])] = [("X", [1, 3, 8, 8])]
    var outputs: [String] = ["Y"]
    var initializers: [TestTensor] = []
    var nodes: [TestNode] = []

    var encoded: [UInt8] {
        var writer = ProtobufWriter()
        writer.int(1, irVersion)
        writer.string(2, producerName)
        writer.string(3, "0.1")
        writer.message(7) { graph in
            for node in nodes { graph.message(1) { node.encode(into: &$0) } }
            graph.string(2, "test-graph")
            for tensor in initializers { graph.message(5) { tensor.encode(into: &$0) } }
            for input in inputs { graph.message(11) { Self.encodeValueInfo(input.name, dims: input.dims, into: &$0) } }
            for output in outputs { graph.message(12) { Self.encodeValueInfo(output, dims: nil, into: &$0) } }
        }
        if let opsetVersion {
            writer.message(8) { opset in
                opset.string(1, "")
                opset.int(2, opsetVersion)
            }
        }
        return writer.bytes
    }

    private static func encodeValueInfo(_ name: String, dims: [Int64?]?, into writer: inout ProtobufWriter) {
        writer.string(1, name)
        writer.message(2) { type in
            type.message(1) { tensorType in
                tensorType.int(1, 1)
                guard let dims else { return }
                tensorType.message(2) { shape in
                    for dim in dims {
                        shape.message(1) { dimension in
                            if let dim { dimension.int(1, dim) } else { dimension.string(2, "batch") }
                        }
                    }
                }
            }
        }
    }
}

/// A `TensorProto` for tests.
struct TestTensor {
    enum Data {
        /// FLOAT as little-endian `raw_data`.
        case raw([Float])
        /// FLOAT as `float_data`, packed or one key per value.
        case floatData([Float], packed: Bool)
        /// INT64 as `int64_data`, packed.
        case int64Data([Int64])
        /// Any type as raw bytes.
        case bytes(dataType: Int64, [UInt8])
    }

    var name: String
    var dims: [Int64]
    var data: Data
    var external = false

    func encode(into writer: inout ProtobufWriter) {
        writer.packedInts(1, dims)
        switch data {
        case .raw(let values):
            writer.int(2, 1)
            var payload = ProtobufWriter()
            for value in values { payload.appendLittleEndian(value.bitPattern) }
            writer.bytes(9, payload.bytes)
        case .floatData(let values, let packed):
            writer.int(2, 1)
            if packed {
                writer.packedFloats(4, values)
            } else {
                for value in values { writer.float(4, value) }
            }
        case .int64Data(let values):
            writer.int(2, 7)
            writer.packedInts(7, values)
        case .bytes(let dataType, let bytes):
            writer.int(2, dataType)
            writer.bytes(9, bytes)
        }
        writer.string(8, name)
        if external {
            writer.message(13) { entry in
                entry.string(1, "location")
                entry.string(2, "weights.bin")
            }
            writer.int(14, 1)
        }
    }
}

/// A `NodeProto` for tests.
struct TestNode {
    var name = ""
    var opType: String
    var domain: String?
    var inputs: [String]
    var outputs: [String]
    var attributes: [TestAttribute] = []

    func encode(into writer: inout ProtobufWriter) {
        for input in inputs { writer.string(1, input) }
        for output in outputs { writer.string(2, output) }
        if !name.isEmpty { writer.string(3, name) }
        writer.string(4, opType)
        for attribute in attributes { writer.message(5) { attribute.encode(into: &$0) } }
        if let domain { writer.string(7, domain) }
    }
}

/// An `AttributeProto` for tests, with its declared type (field 20) unless `typed` is false.
struct TestAttribute {
    var name: String
    var typed = true
    var body: Body

    enum Body {
        case int(Int64)
        case ints([Int64])
        case float(Float)
        case floats([Float])
        case string(String)
        case tensor(TestTensor)
    }

    static func int(_ name: String, _ value: Int64) -> Self { .init(name: name, body: .int(value)) }
    static func ints(_ name: String, _ values: [Int64]) -> Self { .init(name: name, body: .ints(values)) }
    static func float(_ name: String, _ value: Float) -> Self { .init(name: name, body: .float(value)) }
    static func floats(_ name: String, _ values: [Float]) -> Self { .init(name: name, body: .floats(values)) }
    static func string(_ name: String, _ value: String) -> Self { .init(name: name, body: .string(value)) }
    static func tensor(_ name: String, _ value: TestTensor) -> Self { .init(name: name, body: .tensor(value)) }

    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        let type: Int64
        switch body {
        case .int(let value):
            type = 2
            writer.int(3, value)
        case .ints(let values):
            type = 7
            for value in values { writer.int(8, value) }
        case .float(let value):
            type = 1
            writer.float(2, value)
        case .floats(let values):
            type = 6
            writer.packedFloats(7, values)
        case .string(let value):
            type = 3
            writer.string(4, value)
        case .tensor(let tensor):
            type = 4
            writer.message(5) { tensor.encode(into: &$0) }
        }
        if typed { writer.int(20, type) }
    }
}

extension TestModel {
    /// X [1,3,8,8] -> Conv(W [4,3,3,3] raw, B [4] float_data) -> Relu -> Y.
    static var convolutionRelu: TestModel {
        var model = TestModel()
        let weights = (0..<108).map { Float($0) * 0.25 - 13 }
        model.initializers = [
            TestTensor(name: "W", dims: [4, 3, 3, 3], data: .raw(weights)),
            TestTensor(name: "B", dims: [4], data: .floatData([0.5, -1, 2, 1e-3], packed: false)),
        ]
        model.nodes = [
            TestNode(
                name: "conv1", opType: "Conv", inputs: ["X", "W", "B"], outputs: ["C"],
                attributes: [
                    .ints("kernel_shape", [3, 3]), .ints("strides", [2, 1]), .ints("pads", [1, 0, 1, 2]),
                    .ints("dilations", [1, 2]), .int("group", 1),
                ]),
            TestNode(name: "relu1", opType: "Relu", inputs: ["C"], outputs: ["Y"]),
        ]
        return model
    }
}
