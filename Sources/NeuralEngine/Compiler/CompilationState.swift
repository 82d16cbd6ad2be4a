/// The graph while the passes rewrite it: nodes in execution order, constants, and the static
/// shape and element type of every value.
struct CompilationState {
    /// A graph node plus what passes attach to it.
    struct Node {
        var name: String
        var operation: Operation
        var inputs: [String]
        var outputs: [String]
        /// Activation fused into a convolution by `ReluFusion`.
        var activation: ActivationKind = .none
        /// True when `Int8Placement` allows the node to run in 8-bit integers.
        var int8 = false
        /// Set by `PointwiseDepthwiseFusion` on a depthwise convolution that took in the 1x1
        /// convolution feeding it; its inputs are then the 1x1's input, its own weights and bias,
        /// and the 1x1's weights and bias (an omitted bias is "").
        var leadingPointwise: LeadingPointwise?
        /// Set by `Int8ByteLinks` on an int8 convolution that writes its output as bytes: the step of
        /// each output channel.
        var byteOutputScales: [Float]?
        /// Set by `Int8ByteLinks` on a depthwise convolution that reads bytes: the step of each
        /// input channel.
        var byteInputScales: [Float]?
        /// Set by `Int8Placement` on an int8 convolution whose data input is a graph input with a
        /// range known in advance (`CompileOptions.inputRanges`).
        var inputRange: ClosedRange<Float>?

        init(_ node: Graph.Node) {
            name = node.name
            operation = node.operation
            inputs = node.inputs
            outputs = node.outputs
        }
    }

    /// Activation fused into a convolution (mirrors NeuralKernels.Activation without exposing it).
    enum ActivationKind { case none, relu }

    /// The 1x1 convolution a depthwise node runs first (`Node.leadingPointwise`).
    struct LeadingPointwise {
        var attributes: ConvolutionAttributes
        var activation: ActivationKind
    }

    var inputs: [ValueDescription]
    var outputs: [String]
    var nodes: [Node]
    var constants: [String: Tensor]
    var shapes: [String: [Int]] = [:]
    var types: [String: ElementType] = [:]
    /// Values held as one byte per element (`Int8ByteLinks`); all others are 4 bytes.
    var byteValues: Set<String> = []
    var summary = CompileSummary()
    let options: CompileOptions

    /// Largest element count of one float tensor allowed by the memory limit.
    var elementLimit: Int { max(0, options.memoryLimitBytes / 4) }

    /// Number of nodes reading each value, plus one per appearance among the graph outputs.
    func consumerCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for node in nodes {
            for input in node.inputs where !input.isEmpty { counts[input, default: 0] += 1 }
        }
        for output in outputs { counts[output, default: 0] += 1 }
        return counts
    }

    /// Shape of a value that shape inference has seen; throws `missingValue` otherwise.
    func shape(of value: String, node: String) throws(EngineError) -> [Int] {
        guard let shape = shapes[value] else {
            throw EngineError(
                .missingValue, node: node, "value '\(value)' is not produced by any earlier node, input or constant")
        }
        return shape
    }
}
