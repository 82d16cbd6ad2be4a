import NeuralEngine

/// Makes an UltraFace graph run at another input size.
///
/// The convolutions do not care about the size; what does is the input's declared shape (replaced
/// here) and, in the graphs with the box decoding inside, the priors stored as constants of the
/// model's own size. Those graphs are cut where the decoding starts: the raw offsets become the
/// `boxes` output and FaceStream decodes them with priors generated for the new size, as it does
/// for the `*_without_postprocessing` files.
public enum UltraFaceGraph {
    /// `graph` with its input declared `[1, 3, height, width]` and, when it decodes boxes itself,
    /// ending at the raw offsets. Throws when the decoding cannot be found.
    public static func resized(_ graph: Graph, width: Int, height: Int) throws(FaceDetectionError) -> Graph {
        guard graph.inputs.count == 1, graph.inputs[0].shape.count == 4 else {
            throw FaceDetectionError(.unsupportedModel, "expected one [1, 3, H, W] input")
        }
        var resized = graph
        if graph.nodes.contains(where: { $0.operation == .exp }) {
            resized = try backbone(of: graph)
        }
        resized.inputs[0].shape = [1, 3, height, width]
        return resized
    }

    /// The graph up to its scores and raw box offsets (the box decoding and its constant priors removed).
    static func backbone(of graph: Graph) throws(FaceDetectionError) -> Graph {
        var producer: [String: Graph.Node] = [:]
        for node in graph.nodes { for output in node.outputs { producer[output] = node } }
        let refusal = FaceDetectionError(
            .unsupportedModel,
            "the box decoding inside this model was not recognised, so it runs only at its own input size; use version-RFB-320_without_postprocessing.onnx or version-slim-320_without_postprocessing.onnx for other sizes"
        )
        // The decoding is exp(offsets[..., 2:] * 0.2): walk back from Exp through Mul-by-constant
        // and Slice to the tensor the network produced.
        guard let exp = graph.nodes.first(where: { $0.operation == .exp }), var value = exp.inputs.first else {
            throw refusal
        }
        while let node = producer[value], node.operation == .mul || isSlice(node.operation) {
            guard let next = node.inputs.first(where: { isComputed($0, graph: graph, producer: producer) }) else {
                throw refusal
            }
            value = next
        }
        guard let concat = producer[value], case .concat = concat.operation, graph.outputs.count == 2 else {
            throw refusal
        }
        let scores = graph.outputs.contains("scores") ? "scores" : graph.outputs[0]
        guard scores != value, producer[scores] != nil else { throw refusal }
        var cut = graph
        cut.outputs = [scores, value]
        cut.nodes = needed(graph.nodes, producer: producer, outputs: cut.outputs)
        guard !cut.nodes.contains(where: { $0.operation == .exp }) else { throw refusal }
        return cut
    }

    /// Whether `value` is computed from the input (not a weight or a `Constant` node's tensor).
    private static func isComputed(_ value: String, graph: Graph, producer: [String: Graph.Node]) -> Bool {
        guard !value.isEmpty, graph.constants[value] == nil, let node = producer[value] else { return false }
        if case .constant = node.operation { return false }
        return true
    }

    private static func isSlice(_ operation: Operation) -> Bool {
        if case .slice = operation { return true }
        return false
    }

    /// The nodes `outputs` depend on, in their original order.
    private static func needed(_ nodes: [Graph.Node], producer: [String: Graph.Node], outputs: [String])
        -> [Graph.Node]
    {
        var wanted = Set<String>()
        var stack = outputs
        while let value = stack.popLast() {
            guard let node = producer[value], wanted.insert(node.name + "\u{0}" + node.outputs[0]).inserted else {
                continue
            }
            stack.append(contentsOf: node.inputs.filter { !$0.isEmpty })
        }
        return nodes.filter { wanted.contains($0.name + "\u{0}" + $0.outputs[0]) }
    }
}
