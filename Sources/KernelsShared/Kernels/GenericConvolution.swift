import NeuralKernelsCore

/// Any valid geometry, computed directly (the fallback when no fast path applies):
///
///     out[o, y, x] = act(b[o] + sum_{i, ky, kx} w[o, i, ky, kx] * in[g * I/g + i, y*sY - pT + ky*dY, x*sX - pL + kx*dX])
///
/// with `g = o / (O / groups)`, weights OIHW, taps outside the input skipped. Needs no scratch.
struct GenericConvolution: Sendable {
    let geometry: ConvolutionGeometry
    let weights: [Float]
    let bias: [Float]
    let relu: Bool

    init(geometry: ConvolutionGeometry, weights: [Float], bias: [Float], activation: Activation) {
        self.geometry = geometry
        self.weights = weights
        self.bias = bias
        relu = activation == .relu
    }

    /// Computes output channels `channels`.
    func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, channels: Range<Int>) {
        let g = geometry
        let oh = g.outputHeight
        let ow = g.outputWidth
        let icg = g.inputChannelsPerGroup
        let ocg = g.outputChannelsPerGroup
        let kh = g.kernelHeight
        let kw = g.kernelWidth
        for o in channels {
            let group = o / ocg
            for y in 0..<oh {
                for x in 0..<ow {
                    var sum = bias[o]
                    for i in 0..<icg {
                        let channel = group * icg + i
                        for ky in 0..<kh {
                            let iy = y * g.strideY - g.padTop + ky * g.dilationY
                            if iy < 0 || iy >= g.inputHeight { continue }
                            for kx in 0..<kw {
                                let ix = x * g.strideX - g.padLeft + kx * g.dilationX
                                if ix < 0 || ix >= g.inputWidth { continue }
                                let w = weights[((o * icg + i) * kh + ky) * kw + kx]
                                sum = multiplyAdd(sum, w, input[(channel * g.inputHeight + iy) * g.inputWidth + ix])
                            }
                        }
                    }
                    output[(o * oh + y) * ow + x] = relu ? max(0, sum) : sum
                }
            }
        }
    }
}
