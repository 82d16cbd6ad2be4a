/// Pass 4b (int8 precision only): marks the convolutions that may run in 8-bit integers, those
/// inside the body of the network: a convolution with a fused ReLU, or one whose output is read
/// only by other convolutions, additions and concatenations (an RFB block's branch and its
/// linear 1x1 before the residual sum and ReLU). The score and box heads, whose outputs go
/// through transposes and reshapes to the box decoding, stay float32: the small offsets the
/// decoder turns into box corners keep their precision there. Whether a marked node really runs
/// in int8 is the layer factory's choice (kernel shape, CPU).
///
/// A marked convolution whose data input is a graph input with a known range
/// (`CompileOptions.inputRanges`) gets that range (`Node.inputRange`): its layer quantises over it
/// instead of scanning the input at each run.
enum Int8Placement {
    static func run(_ state: inout CompilationState) {
        guard state.options.precision == .int8 else { return }
        var readers: [String: [Operation]] = [:]
        for node in state.nodes {
            for input in node.inputs where !input.isEmpty { readers[input, default: []].append(node.operation) }
        }
        let graphOutputs = Set(state.outputs)
        for index in state.nodes.indices {
            guard case .convolution = state.nodes[index].operation else { continue }
            let output = state.nodes[index].outputs[0]
            let reads = readers[output] ?? []
            let insideBody =
                !reads.isEmpty && !graphOutputs.contains(output)
                && reads.allSatisfy { operation in
                    switch operation {
                    case .convolution, .add, .concat: true
                    default: false
                    }
                }
            state.nodes[index].int8 = state.nodes[index].activation == .relu || insideBody
            if state.nodes[index].int8, let data = state.nodes[index].inputs.first,
                state.inputs.contains(where: { $0.name == data })
            {
                state.nodes[index].inputRange = state.options.inputRanges[data]
            }
        }
    }
}
