import NeuralKernels

/// Pass 5: merges a 3x3 depthwise convolution and the 1x1 convolution that is the only reader of
/// its output (after ReLU fusion, so each keeps its own activation) into one node run by
/// `DepthwisePointwiseLayer`: the depthwise node gains the pointwise weight and bias as inputs
/// 3 and 4 and writes the pointwise output; the pointwise node goes. Pairs the kernel cannot
/// fuse (`DepthwisePointwise2D.accepts`) or with weights computed at run time stay apart.
enum DepthwisePointwiseFusion {
    static func run(_ state: inout CompilationState) {
        let consumers = state.consumerCounts()
        var producer: [String: Int] = [:]
        for (index, node) in state.nodes.enumerated() { producer[node.outputs[0]] = index }
        var removed = Set<Int>()
        for (index, node) in state.nodes.enumerated() {
            guard case .convolution(let pointwise) = node.operation, node.fusedPointwise == nil,
                node.inputs.count >= 2, let depthwiseIndex = producer[node.inputs[0]],
                !removed.contains(depthwiseIndex), consumers[node.inputs[0]] == 1,
                case .convolution(let depthwise) = state.nodes[depthwiseIndex].operation,
                state.nodes[depthwiseIndex].fusedPointwise == nil,
                let depthwiseGeometry = geometry(of: state.nodes[depthwiseIndex], depthwise, state),
                let pointwiseGeometry = geometry(of: node, pointwise, state),
                DepthwisePointwise2D.accepts(depthwise: depthwiseGeometry, pointwise: pointwiseGeometry)
            else { continue }
            var fused = state.nodes[depthwiseIndex]
            while fused.inputs.count < 3 { fused.inputs.append("") }
            fused.inputs += [node.inputs[1], node.inputs.count > 2 ? node.inputs[2] : ""]
            fused.outputs = node.outputs
            fused.fusedPointwise = .init(attributes: pointwise, activation: node.activation)
            // The pair runs where the pointwise node ran: every input is ready by then.
            state.nodes[index] = fused
            producer[node.outputs[0]] = index
            removed.insert(depthwiseIndex)
        }
        state.nodes = state.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        state.summary.depthwisePointwiseFused = removed.count
    }

    /// The geometry of a convolution node whose weight (and bias, if any) are constants, or nil.
    private static func geometry(
        of node: CompilationState.Node, _ attributes: ConvolutionAttributes, _ state: CompilationState
    ) -> ConvolutionGeometry? {
        guard node.inputs.count >= 2, node.inputs.count <= 3, let input = state.shapes[node.inputs[0]],
            state.constants[node.inputs[1]] != nil, let weight = state.shapes[node.inputs[1]]
        else { return nil }
        var bias: [Int]?
        if node.inputs.count == 3 && !node.inputs[2].isEmpty {
            guard state.constants[node.inputs[2]] != nil, let shape = state.shapes[node.inputs[2]] else { return nil }
            bias = shape
        }
        return try? attributes.geometry(input: input, weight: weight, bias: bias, node: node.name)
    }
}
