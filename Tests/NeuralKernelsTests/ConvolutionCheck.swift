import NeuralKernels
import TestSupport
import Testing

/// Runs `Convolution2D` on random data and compares it with `referenceConvolution`.
///
/// Tolerance per element: `1e-5 * sqrt(K) * S`, where `K` is the number of taps summed and `S`
/// is the same convolution computed on absolute values (the size of the terms, so cancellation
/// cannot make the bound meaningless).
struct ConvolutionCheck {
    let geometry: ConvolutionGeometry
    let activation: Activation
    let hasBias: Bool
    let variant: KernelVariant

    init(
        _ geometry: ConvolutionGeometry, activation: Activation = .none, hasBias: Bool = true,
        variant: KernelVariant = .preferred
    ) {
        self.geometry = geometry
        self.activation = activation
        self.hasBias = hasBias
        self.variant = variant
    }

    /// Largest error divided by its tolerance (must stay below 1), over the whole output.
    /// With `parts > 1` the output is computed by partial runs over `outputChannelPartition`,
    /// with `rowParts > 1` by partial runs over `outputRowPartition` (kernels that support it).
    func worstErrorRatio(
        seed: UInt64, parts: Int = 1, rowParts: Int = 1, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Float {
        let g = geometry
        var rng = SeededGenerator(seed: seed)
        let input = rng.floats(g.inputCount)
        let weights = rng.floats(g.weightCount)
        let bias = hasBias ? rng.floats(g.outputChannels) : nil
        let expected = referenceConvolution(
            geometry: g, input: input, weights: weights, bias: bias, activation: activation)
        let scale = referenceConvolution(
            geometry: g, input: input.map(abs), weights: weights.map(abs), bias: bias?.map(abs), activation: .none)

        let convolution = Convolution2D(
            geometry: g, weights: weights, bias: bias, activation: activation, variant: variant)
        var output = [Float](repeating: .nan, count: g.outputCount)
        var scratch = [Float](repeating: .nan, count: max(1, convolution.scratchCount))
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                scratch.withUnsafeMutableBufferPointer { s in
                    if rowParts > 1 {
                        for range in convolution.outputRowPartition(parts: rowParts) {
                            convolution.run(
                                input: x.baseAddress!, output: y.baseAddress!, scratch: s.baseAddress!,
                                outputRows: range)
                        }
                    } else if parts == 1 {
                        convolution.run(input: x.baseAddress!, output: y.baseAddress!, scratch: s.baseAddress!)
                    } else {
                        for range in convolution.outputChannelPartition(parts: parts) {
                            convolution.run(
                                input: x.baseAddress!, output: y.baseAddress!, scratch: s.baseAddress!,
                                outputChannels: range)
                        }
                    }
                }
            }
        }
        let taps = Float(g.inputChannelsPerGroup * g.kernelHeight * g.kernelWidth)
        var worst: Float = 0
        var firstBad: Int?
        for index in 0..<output.count {
            let tolerance = 1e-5 * taps.squareRoot() * max(scale[index], 1e-6)
            let ratio = abs(output[index] - expected[index]) / tolerance
            if !(ratio <= 1) && firstBad == nil { firstBad = index }
            worst = ratio.isNaN ? .infinity : max(worst, ratio)
        }
        if let index = firstBad {
            Issue.record(
                "\(g) \(variant) \(activation) bias:\(hasBias) parts:\(parts) rows:\(rowParts): output[\(index)] = \(output[index]), expected \(expected[index])",
                sourceLocation: sourceLocation)
        }
        return worst
    }
}
