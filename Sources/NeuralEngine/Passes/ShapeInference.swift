/// Pass 1: gives every value a static shape and element type, walking the nodes in order, and
/// evaluates every node whose inputs are all known constants (and every `Shape` node, whose output
/// depends only on a static shape) so that later nodes such as `Reshape` can read their values.
///
/// The evaluated values are stored in `state.constants`; `ConstantFolding` then removes the nodes.
/// Throws on unknown values, duplicate value names, shapes that do not fit an operator and
/// tensors above the memory limit.
enum ShapeInference {
    static func run(_ state: inout CompilationState) throws(EngineError) {
        for input in state.inputs {
            guard state.shapes[input.name] == nil else {
                throw EngineError(.invalidGraph, "input '\(input.name)' is declared twice or also a constant")
            }
            state.shapes[input.name] = input.shape
            state.types[input.name] = .float32
        }
        for (name, tensor) in state.constants {
            state.shapes[name] = tensor.shape
            state.types[name] = tensor.elementType
        }
        for node in state.nodes {
            try infer(node, &state)
        }
    }

    private static func infer(_ node: CompilationState.Node, _ state: inout CompilationState) throws(EngineError) {
        guard node.outputs.count == 1, !node.outputs[0].isEmpty else {
            throw EngineError(
                .unsupported, node: node.name,
                "only single-output nodes are supported (got \(node.outputs.count) outputs)")
        }
        let output = node.outputs[0]
        guard state.shapes[output] == nil else {
            throw EngineError(.invalidGraph, node: node.name, "value '\(output)' is written twice")
        }
        var inputShapes: [[Int]?] = []
        var inputTypes: [ElementType?] = []
        for input in node.inputs {
            if input.isEmpty {
                inputShapes.append(nil)
                inputTypes.append(nil)
            } else {
                inputShapes.append(try state.shape(of: input, node: node.name))
                inputTypes.append(state.types[input])
            }
        }
        let context = OperatorShapes.Context(
            node: node, inputShapes: inputShapes, inputTypes: inputTypes, constants: state.constants)
        let (shape, type) = try OperatorShapes.output(context)
        let count = try ShapeMath.elementCount(shape, limit: state.elementLimit * 4 / type.size, node: node.name)
        state.shapes[output] = shape
        state.types[output] = type

        let foldable: Bool
        switch node.operation {
        case .constant, .shape: foldable = true
        default: foldable = !node.inputs.isEmpty && node.inputs.allSatisfy { $0.isEmpty || state.constants[$0] != nil }
        }
        guard foldable else { return }
        let inputs = node.inputs.map { $0.isEmpty ? nil : state.constants[$0] }
        state.constants[output] = try ConstantEvaluator.evaluate(
            node, inputs: inputs, inputShapes: inputShapes, outputShape: shape, outputType: type, outputCount: count)
    }
}
