/// Pass 5: removes nodes whose outputs no graph output depends on, and constants nothing reads.
enum DeadValueElimination {
    static func run(_ state: inout CompilationState) {
        var live = Set(state.outputs)
        var kept: [CompilationState.Node] = []
        for node in state.nodes.reversed() {
            guard node.outputs.contains(where: live.contains) else { continue }
            kept.append(node)
            for input in node.inputs where !input.isEmpty { live.insert(input) }
        }
        state.summary.deadNodesRemoved = state.nodes.count - kept.count
        state.nodes = kept.reversed()
        state.constants = state.constants.filter { live.contains($0.key) }
    }
}
