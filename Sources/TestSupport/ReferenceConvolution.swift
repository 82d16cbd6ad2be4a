import NeuralKernels

/// The obviously-correct convolution every optimised kernel is compared against: six nested loops
/// over safe arrays, one output element at a time, in the order the formula is written.
///
///     out[o, y, x] = act(b[o] + sum_{i, ky, kx} w[o, i, ky, kx] * in[g * I/g + i, y*sY - pT + ky*dY, x*sX - pL + kx*dX])
///
/// where `g = o / (O / groups)` and taps outside the input read zero.
/// - Parameters:
///   - input: `geometry.inputCount` floats, NCHW (batch 1).
///   - weights: `geometry.weightCount` floats, OIHW with `I = inputChannels / groups`.
///   - bias: `outputChannels` floats, or nil for none.
/// - Returns: `geometry.outputCount` floats, NCHW.
public func referenceConvolution(
    geometry g: ConvolutionGeometry, input: [Float], weights: [Float], bias: [Float]?, activation: Activation
) -> [Float] {
    precondition(g.isValid, "invalid geometry \(g)")
    precondition(input.count == g.inputCount && weights.count == g.weightCount)
    precondition(bias == nil || bias!.count == g.outputChannels)
    let oh = g.outputHeight
    let ow = g.outputWidth
    let icg = g.inputChannelsPerGroup
    let ocg = g.outputChannelsPerGroup
    var output = [Float](repeating: 0, count: g.outputCount)
    for o in 0..<g.outputChannels {
        let group = o / ocg
        for y in 0..<oh {
            for x in 0..<ow {
                var sum: Float = bias?[o] ?? 0
                for i in 0..<icg {
                    let channel = group * icg + i
                    for ky in 0..<g.kernelHeight {
                        let iy = y * g.strideY - g.padTop + ky * g.dilationY
                        if iy < 0 || iy >= g.inputHeight { continue }
                        for kx in 0..<g.kernelWidth {
                            let ix = x * g.strideX - g.padLeft + kx * g.dilationX
                            if ix < 0 || ix >= g.inputWidth { continue }
                            let w = weights[((o * icg + i) * g.kernelHeight + ky) * g.kernelWidth + kx]
                            sum += w * input[(channel * g.inputHeight + iy) * g.inputWidth + ix]
                        }
                    }
                }
                if activation == .relu { sum = max(0, sum) }
                output[(o * oh + y) * ow + x] = sum
            }
        }
    }
    return output
}
