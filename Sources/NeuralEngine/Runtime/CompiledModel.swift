/// A graph compiled for repeated inference: static shapes, folded constants, fused layers and a
/// memory plan. Immutable, so one instance is shared by all threads; each thread runs it through
/// its own `InferenceSession` (see `makeSession()`).
///
/// Passes, in order: shape inference (with evaluation of constant nodes), constant folding,
/// BatchNorm folding, ReLU fusion, int8 placement, 1x1+depthwise fusion, int8 byte links, dead-value
/// elimination, Reshape aliasing, memory planning.
public final class CompiledModel: Sendable {
    /// The run-time inputs, in graph order, with their static shapes.
    public let inputs: [ValueDescription]
    /// The outputs, in graph order.
    public let outputs: [ValueDescription]
    /// What compilation did (node counts, folds, fusions, arena size).
    public let summary: CompileSummary
    /// The options the model was compiled with.
    public let options: CompileOptions

    let layers: [any Layer]
    /// One line per executed step (node name, operator and output shape), for profiles.
    public let stepDescriptions: [String]
    /// Multiply-adds of each executed step (0 for data movement), for profile rates.
    public let stepMultiplyAdds: [Int]
    /// Byte offset of each input in the arena.
    let inputOffsets: [Int]
    /// Where each output is read after a run.
    let outputSources: [Operand]
    let arenaBytes: Int
    let scratchFloats: Int

    /// Compiles `graph`. Throws `EngineError` for unsupported operators, shapes that do not fit,
    /// missing values, symbolic input dimensions without an override, or memory above the limit.
    public init(graph: Graph, options: CompileOptions = .init()) throws(EngineError) {
        guard options.threads >= 1 else {
            throw EngineError(.invalidInput, "threads must be at least 1, got \(options.threads)")
        }
        var state = CompilationState(
            inputs: try Self.resolveInputs(graph.inputs, options: options), outputs: graph.outputs,
            nodes: graph.nodes.map(CompilationState.Node.init), constants: graph.constants, options: options)
        state.summary.nodesBefore = graph.nodes.count

        try ShapeInference.run(&state)
        for output in graph.outputs {
            guard state.shapes[output] != nil else {
                throw EngineError(.missingValue, "graph output '\(output)' is never produced")
            }
            guard state.types[output] == .float32 else {
                throw EngineError(.unsupported, "graph output '\(output)' is not float32")
            }
        }
        ConstantFolding.run(&state)
        BatchNormFolding.run(&state)
        ReluFusion.run(&state)
        Int8Placement.run(&state)
        PointwiseDepthwiseFusion.run(&state)
        Int8ByteLinks.run(&state)
        DeadValueElimination.run(&state)
        let roots = ReshapeAliasing.run(&state)
        let plan = try MemoryPlanner.plan(
            steps: state.nodes, inputs: state.inputs.map(\.name), outputs: state.outputs, roots: roots,
            constants: state.constants, shapes: state.shapes, byteValues: state.byteValues,
            limit: options.memoryLimitBytes)

        func operand(_ name: String) throws(EngineError) -> Operand {
            if let constant = state.constants[name] { return .constant(constant) }
            guard let offset = plan.offsets[roots[name] ?? name] else {
                throw EngineError(.missingValue, "value '\(name)' has no storage")
            }
            return .arena(byteOffset: offset)
        }

        var layers: [any Layer] = []
        var descriptions: [String] = []
        var multiplyAdds: [Int] = []
        var scratch = 0
        for node in state.nodes {
            guard node.inputs.allSatisfy({ $0.isEmpty || state.constants[$0] != nil || state.types[$0] == .float32 })
            else {
                throw EngineError(.unsupported, node: node.name, "int64 values computed at run time are not supported")
            }
            var operands: [Operand?] = []
            for input in node.inputs { operands.append(input.isEmpty ? nil : try operand(input)) }
            let output = node.outputs[0]
            guard case .arena(let outputOffset) = try operand(output) else {
                throw EngineError(.invalidGraph, node: node.name, "writes constant '\(output)'")
            }
            let spec = LayerSpec(
                node: node, inputs: operands, inputShapes: node.inputs.map { $0.isEmpty ? nil : state.shapes[$0] },
                outputShape: state.shapes[output] ?? [], outputOffset: outputOffset, elementType: .float32,
                threads: options.threads, precision: options.precision)
            let layer = try LayerFactory.make(spec)
            scratch = max(scratch, layer.scratchCount)
            layers.append(layer)
            let detail = layer.profileDetail
            descriptions.append(
                "\(node.name) \(Self.kind(node.operation)) \(Self.shapeText(state.shapes[output] ?? []))"
                    + (detail.isEmpty ? "" : " " + detail))
            multiplyAdds.append(layer.multiplyAdds)
        }

        var inputOffsets: [Int] = []
        for input in state.inputs {
            guard case .arena(let offset) = try operand(input.name) else {
                throw EngineError(.invalidGraph, "input is a constant")
            }
            inputOffsets.append(offset)
        }
        var outputSources: [Operand] = []
        for output in state.outputs { outputSources.append(try operand(output)) }

        state.summary.stepsAfter = layers.count
        state.summary.arenaBytes = plan.arenaBytes
        state.summary.unplannedBytes = plan.unplannedBytes
        state.summary.scratchFloats = scratch
        self.inputs = state.inputs
        self.outputs = state.outputs.map { ValueDescription(name: $0, shape: state.shapes[$0] ?? []) }
        self.summary = state.summary
        self.options = options
        self.layers = layers
        self.stepDescriptions = descriptions
        self.stepMultiplyAdds = multiplyAdds
        self.inputOffsets = inputOffsets
        self.outputSources = outputSources
        self.arenaBytes = plan.arenaBytes
        self.scratchFloats = scratch
    }

    /// A new session with its own arena and scratch memory (allocated here, once).
    public func makeSession() -> InferenceSession {
        InferenceSession(model: self)
    }

    /// Short operator name for step descriptions.
    /// Written out rather than taken from `"\(operation)"`: printing an enum goes through reflection,
    /// which cost about 1.5 ms of a photo run's start-up (and printed whole constant tensors).
    private static func kind(_ operation: Operation) -> String {
        switch operation {
        case .convolution: "convolution"
        case .batchNormalization: "batchNormalization"
        case .relu: "relu"
        case .concat: "concat"
        case .reshape: "reshape"
        case .transpose: "transpose"
        case .softmax: "softmax"
        case .add: "add"
        case .sub: "sub"
        case .mul: "mul"
        case .div: "div"
        case .exp: "exp"
        case .slice: "slice"
        case .gather: "gather"
        case .unsqueeze: "unsqueeze"
        case .shape: "shape"
        case .constant: "constant"
        }
    }

    /// `[1, 3, 240, 320]`, like an array's description, without its per-element dynamic casts.
    private static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map { String($0) }.joined(separator: ", ") + "]"
    }

    /// Applies the shape overrides and checks that no symbolic dimension is left.
    private static func resolveInputs(_ inputs: [Graph.Input], options: CompileOptions) throws(EngineError)
        -> [ValueDescription]
    {
        var result: [ValueDescription] = []
        for input in inputs {
            var shape: [Int] = []
            if let override = options.inputShapes[input.name] {
                guard override.count == input.shape.count,
                    zip(override, input.shape).allSatisfy({ $1 == nil || $0 == $1 })
                else {
                    throw EngineError(
                        .shapeMismatch,
                        "input '\(input.name)': override \(override) does not fit declared \(input.shape)")
                }
                shape = override
            } else {
                for dimension in input.shape {
                    guard let dimension else {
                        throw EngineError(
                            .invalidGraph,
                            "input '\(input.name)' has a dimension without a fixed size (\(input.shape.map { $0.map(String.init) ?? "?" }.joined(separator: "x"))); the UltraFace models fix every input size"
                        )
                    }
                    shape.append(dimension)
                }
            }
            guard shape.allSatisfy({ $0 > 0 }) else {
                throw EngineError(.shapeMismatch, "input '\(input.name)' has shape \(shape)")
            }
            _ = try ShapeMath.elementCount(shape, limit: max(0, options.memoryLimitBytes / 4), node: nil)
            result.append(ValueDescription(name: input.name, shape: shape))
        }
        return result
    }
}
