import NeuralKernels

/// Pass 4c: gives a 1x1 convolution to the 3x3 depthwise convolution that alone reads its output,
/// when that output is larger than `minimumBytes` and the band kernel runs the pair
/// (`NeuralKernels.PointwiseDepthwiseConvolution2D`): the two then run in bands of rows and the
/// map between them (2.5 MB in RFB-320's first block, 9.8 MB on 640x480) never leaves the cache.
/// The depthwise node takes the 1x1's input and weights (`Node.leadingPointwise`) and the 1x1 node
/// goes. A 1x1 that runs in int8 keeps its own layer.
enum PointwiseDepthwiseFusion {
    /// Smaller maps stay in the L2 cache between two layers anyway.
    static let minimumBytes = 1 << 20

    static func run(_ state: inout CompilationState) {
        let consumers = state.consumerCounts()
        var producer: [String: Int] = [:]
        for (index, node) in state.nodes.enumerated() { producer[node.outputs[0]] = index }
        var removed = Set<Int>()
        for index in state.nodes.indices {
            let node = state.nodes[index]
            guard case .convolution(let depthwise) = node.operation, node.leadingPointwise == nil,
                let first = producer[input(node, 0)], !removed.contains(first), consumers[input(node, 0)] == 1,
                let leading = fusable(state, first, into: index, depthwise)
            else { continue }
            let pointwise = state.nodes[first]
            state.nodes[index].inputs = [
                input(pointwise, 0), input(node, 1), input(node, 2), input(pointwise, 1), input(pointwise, 2),
            ]
            state.nodes[index].leadingPointwise = leading
            removed.insert(first)
        }
        state.nodes = state.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        state.summary.pointwiseDepthwisePairs = removed.count
    }

    /// Input `index` of `node`, "" when it has none (an omitted bias).
    private static func input(_ node: CompilationState.Node, _ index: Int) -> String {
        index < node.inputs.count ? node.inputs[index] : ""
    }

    /// The 1x1 node `first` as the leading part of depthwise node `second`, or nil when the pair
    /// does not qualify.
    private static func fusable(
        _ state: CompilationState, _ first: Int, into second: Int, _ depthwise: ConvolutionAttributes
    ) -> CompilationState.LeadingPointwise? {
        let pointwiseNode = state.nodes[first]
        let node = state.nodes[second]
        guard case .convolution(let pointwise) = pointwiseNode.operation,
            !(state.options.precision == .int8 && pointwiseNode.int8),
            !state.outputs.contains(pointwiseNode.outputs[0])
        else { return nil }
        // Weights (required) and biases (optional) must be constants: the layer packs them.
        let (w1, b1, w2, b2) = (input(pointwiseNode, 1), input(pointwiseNode, 2), input(node, 1), input(node, 2))
        guard !w1.isEmpty, !w2.isEmpty,
            [w1, b1, w2, b2].allSatisfy({ $0.isEmpty || state.constants[$0]?.floats != nil })
        else { return nil }
        func shape(_ name: String) -> [Int]? { name.isEmpty ? nil : state.shapes[name] }
        guard let x = shape(input(pointwiseNode, 0)), let middle = shape(pointwiseNode.outputs[0]),
            let p = try? pointwise.geometry(
                input: x, weight: shape(w1) ?? [], bias: shape(b1), node: pointwiseNode.name),
            let d = try? depthwise.geometry(input: middle, weight: shape(w2) ?? [], bias: shape(b2), node: node.name),
            PointwiseDepthwiseConvolution2D.accepts(pointwise: p, depthwise: d),
            p.outputCount * MemoryLayout<Float>.stride >= minimumBytes
        else { return nil }
        return .init(attributes: pointwise, activation: pointwiseNode.activation)
    }
}
