import NeuralEngine

/// An ONNX model file loaded into the engine's graph form, with the facts from its header.
public struct ONNXModel: Sendable {
    /// The computation graph: real inputs, outputs, constants (initializers) and nodes in execution order.
    public let graph: Graph
    /// `ModelProto.ir_version` (4 for PyTorch 1.2/1.3 exports, 6 for PyTorch 1.9).
    public let irVersion: Int64
    /// Version of the default operator set (`ai.onnx`) the graph was written for.
    public let operatorSetVersion: Int64
    /// The tool that wrote the file, e.g. "pytorch".
    public let producerName: String
    /// The version of that tool, e.g. "1.2".
    public let producerVersion: String

    /// Creates a model description; the importer is the usual source.
    public init(
        graph: Graph, irVersion: Int64, operatorSetVersion: Int64, producerName: String, producerVersion: String
    ) {
        self.graph = graph
        self.irVersion = irVersion
        self.operatorSetVersion = operatorSetVersion
        self.producerName = producerName
        self.producerVersion = producerVersion
    }
}
