import NeuralEngine

/// Checks the number of inputs and outputs of a node against what its operator takes.
struct NodeArity {
    let message: NodeMessage
    /// The node's display name, for errors.
    let node: String

    /// Throws `invalidGraph` unless the counts are in range, the first `inputs.lowerBound` inputs
    /// are present (not "") and every output is named.
    func check(inputs: ClosedRange<Int>, outputs: ClosedRange<Int> = 1...1) throws(ONNXImportError) {
        let type = message.operatorType
        guard inputs.contains(message.inputs.count) else {
            throw error("\(type) takes \(describe(inputs)) inputs, the node has \(message.inputs.count)")
        }
        if let missing = message.inputs.prefix(inputs.lowerBound).firstIndex(of: "") {
            throw error("\(type) input \(missing) is required but empty")
        }
        guard outputs.contains(message.outputs.count) else {
            throw error("\(type) has \(describe(outputs)) outputs, the node has \(message.outputs.count)")
        }
        if message.outputs.first == "" {
            throw error("\(type) output 0 has no name")
        }
    }

    private func describe(_ range: ClosedRange<Int>) -> String {
        if range.lowerBound == range.upperBound { return "\(range.lowerBound)" }
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        return "\(range.lowerBound) to \(range.upperBound)"
    }

    private func error(_ what: String) -> ONNXImportError {
        ONNXImportError(.invalidGraph, what, byteOffset: message.byteOffset, node: node)
    }
}
