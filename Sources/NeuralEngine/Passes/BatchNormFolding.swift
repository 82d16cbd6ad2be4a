/// Pass 3: folds `BatchNormalization` into the convolution that feeds it when nothing else reads
/// the convolution's output and its weights (and bias) are constants:
///
///     s = gamma / sqrt(var + eps)     w'[o, ...] = w[o, ...] * s[o]     b'[o] = (b[o] - mean[o]) * s[o] + beta[o]
///
/// computed in Double and rounded once to Float. The convolution then writes the BN's output.
enum BatchNormFolding {
    static func run(_ state: inout CompilationState) {
        let consumers = state.consumerCounts()
        var producer: [String: Int] = [:]
        for (index, node) in state.nodes.enumerated() { producer[node.outputs[0]] = index }
        var removed = Set<Int>()
        for (index, node) in state.nodes.enumerated() {
            guard case .batchNormalization(let epsilon) = node.operation, node.inputs.count == 5,
                let convIndex = producer[node.inputs[0]], !removed.contains(convIndex),
                consumers[node.inputs[0]] == 1,
                case .convolution = state.nodes[convIndex].operation,
                state.nodes[convIndex].activation == .none
            else { continue }
            let conv = state.nodes[convIndex]
            guard let weights = state.constants[conv.inputs[1]], let w = weights.floats,
                let gamma = state.constants[node.inputs[1]]?.floats, let beta = state.constants[node.inputs[2]]?.floats,
                let mean = state.constants[node.inputs[3]]?.floats,
                let variance = state.constants[node.inputs[4]]?.floats
            else { continue }
            let outputs = weights.shape[0]
            guard gamma.count == outputs, beta.count == outputs, mean.count == outputs, variance.count == outputs,
                outputs > 0, w.count % outputs == 0
            else { continue }
            var bias = [Float](repeating: 0, count: outputs)
            if conv.inputs.count > 2, !conv.inputs[2].isEmpty {
                guard let b = state.constants[conv.inputs[2]]?.floats, b.count == outputs else { continue }
                bias = b
            }
            let perOutput = w.count / outputs
            var foldedWeights = w
            var foldedBias = bias
            for o in 0..<outputs {
                let scale = Double(gamma[o]) / (Double(variance[o]) + Double(epsilon)).squareRoot()
                for i in (o * perOutput)..<((o + 1) * perOutput) { foldedWeights[i] = Float(Double(w[i]) * scale) }
                foldedBias[o] = Float((Double(bias[o]) - Double(mean[o])) * scale + Double(beta[o]))
            }
            let weightName = uniqueName("\(conv.name).folded_weight", in: state)
            state.constants[weightName] = Tensor(shape: weights.shape, floats: foldedWeights)
            state.shapes[weightName] = weights.shape
            state.types[weightName] = .float32
            let biasName = uniqueName("\(conv.name).folded_bias", in: state)
            state.constants[biasName] = Tensor(shape: [outputs], floats: foldedBias)
            state.shapes[biasName] = [outputs]
            state.types[biasName] = .float32

            var folded = conv
            folded.inputs = [conv.inputs[0], weightName, biasName]
            folded.outputs = node.outputs
            state.nodes[convIndex] = folded
            producer[node.outputs[0]] = convIndex
            removed.insert(index)
        }
        state.nodes = state.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        state.summary.batchNormsFolded = removed.count
    }

    /// `base`, or `base` with a numeric suffix, not yet used by any value.
    static func uniqueName(_ base: String, in state: CompilationState) -> String {
        var name = base
        var counter = 1
        while state.shapes[name] != nil || state.constants[name] != nil {
            name = "\(base).\(counter)"
            counter += 1
        }
        return name
    }
}
