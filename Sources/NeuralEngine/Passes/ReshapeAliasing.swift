/// Pass 6: turns run-time `Reshape` and `Unsqueeze` nodes into views. Both keep the row-major
/// order of the elements, so the output can share the input's arena bytes; the node disappears
/// and the memory planner keeps the shared storage alive as long as any of its names is used.
enum ReshapeAliasing {
    /// Maps each aliased value to the value that owns its storage (never itself an alias).
    static func run(_ state: inout CompilationState) -> [String: String] {
        var roots: [String: String] = [:]
        var kept: [CompilationState.Node] = []
        for node in state.nodes {
            switch node.operation {
            case .reshape, .unsqueeze:
                let input = node.inputs[0]
                if state.constants[input] == nil, state.types[input] == .float32 {
                    roots[node.outputs[0]] = roots[input] ?? input
                    continue
                }
            default:
                break
            }
            kept.append(node)
        }
        state.summary.reshapesAliased = state.nodes.count - kept.count
        state.nodes = kept
        return roots
    }
}
