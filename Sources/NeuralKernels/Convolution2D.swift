/// A convolution prepared for repeated runs: weights are packed once at creation, each run reads
/// an NCHW input and writes an NCHW output (batch 1), with bias and activation fused.
///
/// Immutable after `init`, so one instance may be shared by threads; each caller passes its own
/// scratch memory of `scratchCount` floats.
public struct Convolution2D: Sendable {
    public let geometry: ConvolutionGeometry
    public let activation: Activation
    /// Weights, OIHW as given (a packed copy replaces this when fast paths land).
    let weights: [Float]
    /// One bias per output channel (zeros when the model has none).
    let bias: [Float]

    /// Prepares the kernel. `weights` is OIHW with `geometry.weightCount` elements; `bias` has
    /// `outputChannels` elements or is nil. Traps on mismatched counts or invalid geometry (the
    /// engine validates model shapes before it gets here).
    public init(geometry: ConvolutionGeometry, weights: [Float], bias: [Float]?, activation: Activation) {
        precondition(geometry.isValid, "invalid convolution geometry: \(geometry)")
        precondition(weights.count == geometry.weightCount, "\(geometry): expected \(geometry.weightCount) weights, got \(weights.count)")
        precondition(bias == nil || bias!.count == geometry.outputChannels, "\(geometry): bias count \(bias!.count)")
        self.geometry = geometry
        self.activation = activation
        self.weights = weights
        self.bias = bias ?? [Float](repeating: 0, count: geometry.outputChannels)
    }

    /// Floats of scratch memory one run needs.
    public var scratchCount: Int { 0 }

    /// Runs the convolution.
    /// - Parameters:
    ///   - input: `geometry.inputCount` floats, NCHW.
    ///   - output: `geometry.outputCount` floats, NCHW; fully overwritten. Must not overlap `input`.
    ///   - scratch: `scratchCount` floats owned by the caller for the duration of the call.
    public func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        // Direct loop: out[o, y, x] = b[o] + sum_{i, ky, kx} w[o, i, ky, kx] * in[g * I/g + i, y*s - p + ky*d, x*s - p + kx*d]
        let g = geometry
        let oh = g.outputHeight, ow = g.outputWidth
        let icg = g.inputChannelsPerGroup, ocg = g.outputChannelsPerGroup
        for o in 0..<g.outputChannels {
            let group = o / ocg
            for y in 0..<oh {
                for x in 0..<ow {
                    var sum = bias[o]
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
    }
}
