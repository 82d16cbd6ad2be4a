import NeuralEngine

/// Turns a parsed `GraphProto` into an engine `Graph` and checks that it is well formed:
/// every value a node reads is defined before it (graph input, initializer or earlier node
/// output; "" is an omitted optional input), no value is defined twice, and the graph outputs exist.
struct GraphBuilder {
    let message: GraphMessage
    let operatorSetVersion: Int64
    let buffer: UnsafeRawBufferPointer

    func build() throws(ONNXImportError) -> Graph {
        let constants = try makeConstants()
        let inputs = try makeInputs(constants: constants)

        var ranks: [String: Int] = [:]
        for info in message.valueInfo + message.outputs + message.inputs {
            if let shape = info.shape { ranks[info.name] = shape.count }
        }
        for (name, tensor) in constants { ranks[name] = tensor.shape.count }

        // Who produces each value, to tell "not sorted" apart from "never defined".
        var producers: [String: Int] = [:]
        for (index, node) in message.nodes.enumerated() {
            for output in node.outputs where !output.isEmpty && producers[output] == nil { producers[output] = index }
        }

        var defined = Set(constants.keys).union(inputs.map(\.name))
        var constantNodeValues: [String: Tensor] = [:]
        var nodes: [Graph.Node] = []
        nodes.reserveCapacity(message.nodes.count)
        for (index, nodeMessage) in message.nodes.enumerated() {
            let name = nodeMessage.name.isEmpty ? "#\(index) \(nodeMessage.operatorType)" : nodeMessage.name
            for input in nodeMessage.inputs where !input.isEmpty && !defined.contains(input) {
                if let producer = producers[input] {
                    let producerName =
                        message.nodes[producer].name.isEmpty
                        ? "#\(producer) \(message.nodes[producer].operatorType)" : message.nodes[producer].name
                    throw ONNXImportError(
                        .invalidGraph,
                        "nodes are not topologically sorted: input '\(input)' is produced later by node '\(producerName)'",
                        byteOffset: nodeMessage.byteOffset, node: name)
                }
                throw ONNXImportError(
                    .invalidGraph, "input '\(input)' is not defined (no graph input, initializer or node output)",
                    byteOffset: nodeMessage.byteOffset, node: name)
            }
            let context = OperatorTable.Context(
                operatorSetVersion: operatorSetVersion,
                constant: { constants[$0] ?? constantNodeValues[$0] },
                rank: { ranks[$0] },
                buffer: buffer)
            let node = try OperatorTable.node(from: nodeMessage, named: name, context: context)
            for output in nodeMessage.outputs where !output.isEmpty {
                guard defined.insert(output).inserted else {
                    throw ONNXImportError(
                        .invalidGraph, "value '\(output)' is defined twice", byteOffset: nodeMessage.byteOffset,
                        node: name)
                }
            }
            try Self.checkVariance(of: node, constants: constants, byteOffset: nodeMessage.byteOffset)
            if case .constant(let tensor) = node.operation, let output = node.outputs.first {
                constantNodeValues[output] = tensor
                ranks[output] = tensor.shape.count
            }
            nodes.append(node)
        }

        guard !message.outputs.isEmpty else {
            throw ONNXImportError(.invalidGraph, "the graph has no outputs", byteOffset: message.byteOffset)
        }
        for output in message.outputs where !defined.contains(output.name) {
            throw ONNXImportError(
                .invalidGraph, "graph output '\(output.name)' is not produced by any node or input",
                byteOffset: output.byteOffset)
        }
        return Graph(inputs: inputs, outputs: message.outputs.map(\.name), constants: constants, nodes: nodes)
    }

    /// A BatchNormalization's variance is never negative; a negative one (a damaged file) would
    /// make the square root NaN and the detections silently empty.
    private static func checkVariance(
        of node: Graph.Node, constants: [String: Tensor], byteOffset: Int
    ) throws(ONNXImportError) {
        guard case .batchNormalization = node.operation, node.inputs.count == 5,
            let variance = constants[node.inputs[4]]?.floats, let bad = variance.firstIndex(where: { $0 < 0 })
        else { return }
        throw ONNXImportError(
            .malformed,
            "BatchNormalization variance '\(node.inputs[4])' is negative (\(variance[bad])) at element \(bad)",
            byteOffset: byteOffset, node: node.name, hint: "the file is damaged; copy or fetch it again")
    }

    /// Initializers by name.
    private func makeConstants() throws(ONNXImportError) -> [String: Tensor] {
        var constants: [String: Tensor] = [:]
        constants.reserveCapacity(message.initializers.count)
        for initializer in message.initializers {
            guard !initializer.name.isEmpty else {
                throw ONNXImportError(.invalidGraph, "an initializer has no name", byteOffset: initializer.byteOffset)
            }
            let tensor = try initializer.makeTensor(buffer: buffer, role: "initializer '\(initializer.name)'")
            // A flipped byte in a weight can make it NaN or infinite; the network would then give
            // NaN boxes or nothing at all, so the file is refused here instead.
            if let values = tensor.floats, let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw ONNXImportError(
                    .malformed, "weight '\(initializer.name)' holds \(values[bad]) at element \(bad)",
                    byteOffset: initializer.byteOffset, hint: "the file is damaged; copy or fetch it again")
            }
            guard constants.updateValue(tensor, forKey: initializer.name) == nil else {
                throw ONNXImportError(
                    .invalidGraph, "initializer '\(initializer.name)' is defined twice",
                    byteOffset: initializer.byteOffset)
            }
        }
        return constants
    }

    /// Graph inputs that have no initializer (old files list every weight as an input too).
    private func makeInputs(constants: [String: Tensor]) throws(ONNXImportError) -> [Graph.Input] {
        var inputs: [Graph.Input] = []
        var names: Set<String> = []
        for info in message.inputs where constants[info.name] == nil {
            guard !info.name.isEmpty, names.insert(info.name).inserted else {
                throw ONNXImportError(
                    .invalidGraph, "graph input '\(info.name)' is unnamed or listed twice", byteOffset: info.byteOffset)
            }
            guard info.isTensor, info.elementType == 1 || info.elementType == 0 else {
                let type = info.isTensor ? TensorMessage.dataTypeName(info.elementType) : "a non-tensor type"
                throw ONNXImportError(
                    .unsupportedDataType, "graph input '\(info.name)' has \(type); only FLOAT tensors are supported",
                    byteOffset: info.byteOffset)
            }
            inputs.append(Graph.Input(name: info.name, shape: info.shape ?? []))
        }
        return inputs
    }
}
