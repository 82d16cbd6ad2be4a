import NeuralKernels

/// Pass 4d (int8 precision with a calibration only): hands bytes from an int8 convolution to the
/// 3x3 depthwise convolutions that read its output, instead of floats, when nothing else reads it;
/// and from those depthwise convolutions on to the int8 1x1 convolutions that read theirs.
///
/// The producer (an int8 1x1 or KxK convolution with a fused ReLU, or a Relu node after an
/// addition: `QuantizingReluLayer`) writes its output as unsigned
/// bytes with a static step per channel, the calibration's largest value of that channel / 255
/// (`CompileOptions.activationMaxima`, zero point 0: a ReLU output is never below 0); the
/// depthwise convolution then runs in 8-bit integers on those bytes
/// (`NeuralKernels.Int8DepthwiseConvolution`, AVX-512 VBMI) and writes floats, or bytes of one
/// step for the whole tensor when int8 1x1s alone read its output (they then skip their range
/// scan and quantising). A quarter of the memory traffic between the layers, and the depthwise
/// layer's multiply-adds four to a `vpdpbusd`. Only values the calibration lists are linked (the
/// calibration script leaves out those that cost accuracy); without a calibration, or on a CPU
/// without the kernel, the layers stay as they were.
enum Int8ByteLinks {
    /// Step of a channel whose calibrated largest value is 0 (it never fires on the calibration
    /// photos): small, so that the rare value it has is clamped at 255 steps of it rather than lost.
    static let smallestMaximum: Float = 1e-3

    static func run(_ state: inout CompilationState) {
        guard state.options.precision == .int8, !state.options.activationMaxima.isEmpty,
            Precision.int8Kernels != nil, Int8DepthwiseConvolution.isSupported
        else { return }
        var readers: [String: [Int]] = [:]
        for (index, node) in state.nodes.enumerated() {
            for input in node.inputs where !input.isEmpty { readers[input, default: []].append(index) }
        }
        for first in state.nodes.indices where writesBytes(state, first) {
            let value = state.nodes[first].outputs[0]
            // Every reader must take bytes: in UltraFace a feature map is often read by the next
            // block's depthwise convolution and by the two heads' depthwise convolutions.
            guard let maxima = state.options.activationMaxima[value], !state.outputs.contains(value),
                let reading = readers[value], !reading.isEmpty,
                reading.allSatisfy({ readsBytes(state, $0, value: value, channels: maxima.count) })
            else { continue }
            let scales = maxima.map { max($0, smallestMaximum) / 255 }
            state.nodes[first].byteOutputScales = scales
            for index in reading { state.nodes[index].byteInputScales = scales }
            state.byteValues.insert(value)
        }
        // Then from those depthwise convolutions to the int8 1x1 convolutions that read them: one
        // step for the whole tensor (the 1x1 kernel's sums run over all input channels, so their
        // steps must agree), the calibration's largest value over all channels / 255.
        for index in state.nodes.indices where state.nodes[index].byteInputScales != nil {
            let node = state.nodes[index]
            guard node.activation == .relu, case .convolution = node.operation else { continue }
            let value = node.outputs[0]
            guard let maxima = state.options.activationMaxima[value], let largest = maxima.max(),
                !state.outputs.contains(value), let reading = readers[value], !reading.isEmpty,
                reading.allSatisfy({ readsBytesAsPointwise(state, $0, value: value, channels: maxima.count) })
            else { continue }
            let steps = [Float](repeating: max(largest, smallestMaximum) / 255, count: maxima.count)
            state.nodes[index].byteOutputScales = steps
            for reader in reading { state.nodes[reader].byteInputScales = steps }
            state.byteValues.insert(value)
        }
        state.summary.int8ByteLinks = state.byteValues.count
    }

    /// True when node `index` is a convolution that will run as an int8 1x1 layer reading `value`
    /// (of `channels` channels) as its data input only.
    private static func readsBytesAsPointwise(
        _ state: CompilationState, _ index: Int, value: String, channels: Int
    ) -> Bool {
        let node = state.nodes[index]
        guard node.inputs.first == value, !node.inputs.dropFirst().contains(value), node.int8,
            node.leadingPointwise == nil, case .convolution(let attributes) = node.operation,
            let g = geometry(state, node, attributes)
        else { return false }
        return g.inputChannels == channels && QuantizedPointwiseLayer.accepts(g)
    }

    /// A 3x3 depthwise convolution the byte kernel runs: one channel per group, padding 1 on every
    /// side, stride 1 or 2 on both axes, no dilation.
    static func accepts(depthwise g: ConvolutionGeometry) -> Bool {
        g.groups == g.inputChannels && g.outputChannels == g.inputChannels && g.kernelHeight == 3
            && g.kernelWidth == 3 && g.strideY == g.strideX && (g.strideY == 1 || g.strideY == 2)
            && g.dilationY == 1 && g.dilationX == 1 && g.padTop == 1 && g.padLeft == 1 && g.padBottom == 1
            && g.padRight == 1 && g.isValid
    }

    /// True when node `index` is a depthwise convolution the byte kernel runs, reading `value` (of
    /// `channels` channels) as its data input only, with constant weights and bias.
    private static func readsBytes(_ state: CompilationState, _ index: Int, value: String, channels: Int) -> Bool {
        let node = state.nodes[index]
        guard node.leadingPointwise == nil, node.inputs.count >= 2, node.inputs[0] == value,
            !node.inputs.dropFirst().contains(value), case .convolution(let attributes) = node.operation,
            let g = geometry(state, node, attributes), accepts(depthwise: g), g.inputChannels == channels,
            state.constants[node.inputs[1]]?.floats != nil,
            node.inputs.count < 3 || node.inputs[2].isEmpty || state.constants[node.inputs[2]]?.floats != nil
        else { return false }
        return true
    }

    /// True when node `index` can write its output as bytes: a convolution that will run as an
    /// int8 layer with a fused ReLU, or a Relu node on floats (`QuantizingReluLayer`).
    private static func writesBytes(_ state: CompilationState, _ index: Int) -> Bool {
        let node = state.nodes[index]
        if case .relu = node.operation {
            return node.inputs.count == 1 && state.types[node.inputs[0]] == .float32
                && state.shapes[node.outputs[0]]?.count == 4 && state.shapes[node.outputs[0]]?[0] == 1
        }
        return node.activation == .relu && writesInt8Layer(state, index)
    }

    /// True when node `index` is a convolution that will run as an int8 layer (the layer
    /// factories' own tests).
    private static func writesInt8Layer(_ state: CompilationState, _ index: Int) -> Bool {
        let node = state.nodes[index]
        guard node.int8, node.leadingPointwise == nil,
            case .convolution(let attributes) = node.operation, let g = geometry(state, node, attributes)
        else { return false }
        return QuantizedPointwiseLayer.accepts(g) || QuantizedSpatialLayer.accepts(g)
    }

    private static func geometry(
        _ state: CompilationState, _ node: CompilationState.Node, _ attributes: ConvolutionAttributes
    ) -> ConvolutionGeometry? {
        guard node.inputs.count >= 2, let input = state.shapes[node.inputs[0]],
            let weight = state.shapes[node.inputs[1]]
        else { return nil }
        let bias = node.inputs.count > 2 && !node.inputs[2].isEmpty ? state.shapes[node.inputs[2]] : nil
        return try? attributes.geometry(input: input, weight: weight, bias: bias, node: node.name)
    }
}
