/// Pass 2: removes every node whose output `ShapeInference` already evaluated (all inputs
/// constant, `Shape` of a static shape, `Constant`). This drops the Shape/Gather/Unsqueeze/Concat
/// plumbing that builds Reshape targets. Constants nothing reads any more are dropped later by
/// `DeadValueElimination`.
enum ConstantFolding {
    static func run(_ state: inout CompilationState) {
        let before = state.nodes.count
        state.nodes.removeAll { node in node.outputs.allSatisfy { state.constants[$0] != nil } }
        state.summary.constantsFolded = before - state.nodes.count
    }
}
