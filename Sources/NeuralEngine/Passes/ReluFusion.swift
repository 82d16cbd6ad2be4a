/// Pass 4: fuses a `Relu` into the convolution that feeds it when nothing else reads the
/// convolution's output; the convolution then applies `max(0, x)` and writes the Relu's output.
enum ReluFusion {
    static func run(_ state: inout CompilationState) {
        let consumers = state.consumerCounts()
        var producer: [String: Int] = [:]
        for (index, node) in state.nodes.enumerated() { producer[node.outputs[0]] = index }
        var removed = Set<Int>()
        for (index, node) in state.nodes.enumerated() {
            guard case .relu = node.operation, node.inputs.count == 1,
                let convIndex = producer[node.inputs[0]], consumers[node.inputs[0]] == 1,
                case .convolution = state.nodes[convIndex].operation,
                state.nodes[convIndex].activation == .none
            else { continue }
            state.nodes[convIndex].activation = .relu
            state.nodes[convIndex].outputs = node.outputs
            producer[node.outputs[0]] = convIndex
            removed.insert(index)
        }
        state.nodes = state.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        state.summary.relusFused = removed.count
    }
}
