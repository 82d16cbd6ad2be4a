import NeuralKernels

extension ConvolutionAttributes {
    /// The kernel geometry for an NCHW input and OIHW weight shape, with every check a hostile
    /// model needs (ranks, batch 1, channel and group counts, kernel size, attribute lengths).
    func geometry(input: [Int], weight: [Int], bias: [Int]?, node: String) throws(EngineError) -> ConvolutionGeometry {
        func mismatch(_ message: String) -> EngineError {
            EngineError(.shapeMismatch, node: node, "Conv input \(input), weight \(weight): \(message)")
        }
        guard input.count == 4, weight.count == 4 else {
            throw mismatch("only 2-D convolutions (rank 4) are supported")
        }
        guard input[0] == 1 else {
            throw EngineError(.unsupported, node: node, "Conv batch size must be 1, got \(input[0])")
        }
        guard strides.count == 2, dilations.count == 2, pads.count == 4 else {
            throw mismatch("strides \(strides), dilations \(dilations), pads \(pads) must have 2, 2 and 4 values")
        }
        guard groups > 0, input[1] % groups == 0, weight[0] % groups == 0, weight[1] * groups == input[1] else {
            throw mismatch("channels do not fit groups \(groups)")
        }
        if let kernelShape, kernelShape != [weight[2], weight[3]] {
            throw mismatch("kernel_shape \(kernelShape) differs from the weight")
        }
        if let bias, bias != [weight[0]] { throw mismatch("bias shape \(bias) must be [\(weight[0])]") }
        let limit = 1 << 20
        let values = [input[2], input[3], weight[0], weight[2], weight[3]] + strides + dilations + pads
        guard values.allSatisfy({ $0 >= 0 && $0 <= limit }) else {
            throw mismatch("a size or attribute is out of range")
        }
        let geometry = ConvolutionGeometry(
            inputChannels: input[1], inputHeight: input[2], inputWidth: input[3], outputChannels: weight[0],
            kernelHeight: weight[2], kernelWidth: weight[3], strideY: strides[0], strideX: strides[1],
            dilationY: dilations[0], dilationX: dilations[1],
            padTop: pads[0], padLeft: pads[1], padBottom: pads[2], padRight: pads[3], groups: groups)
        guard geometry.isValid else { throw mismatch("invalid geometry \(geometry)") }
        return geometry
    }
}
