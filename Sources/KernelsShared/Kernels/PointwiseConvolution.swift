import NeuralKernelsCore

/// 1x1 convolution, stride 1, no padding, one group: a single matrix product
///
///     out[o, p] = act(b[o] + sum_i w[o, i] * in[i, p])      p = y * W + x
///
/// i.e. `[O x I] * [I x HW]` with the NCHW input as `B` (row stride HW) and the output as `C`.
/// Needs no scratch.
struct PointwiseConvolution: Sendable {
    /// Weights transposed to k-major: `packed[i * O + o] = w[o, i]`.
    let packed: [Float]
    let bias: [Float]
    let inputChannels: Int
    let outputChannels: Int
    let pixels: Int
    /// Image rows (pixels = height * width).
    let height: Int
    let relu: Bool

    /// True when `geometry` is a plain 1x1 matrix product.
    static func accepts(_ g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideY == 1 && g.strideX == 1 && g.padTop == 0
            && g.padLeft == 0 && g.padBottom == 0 && g.padRight == 0 && g.groups == 1
    }

    init(geometry g: ConvolutionGeometry, weights: [Float], bias: [Float], activation: Activation) {
        let ic = g.inputChannels
        let oc = g.outputChannels
        var packed = [Float](repeating: 0, count: ic * oc)
        for o in 0..<oc {
            for i in 0..<ic { packed[i * oc + o] = weights[o * ic + i] }
        }
        self.packed = packed
        self.bias = bias
        inputChannels = ic
        outputChannels = oc
        pixels = g.inputHeight * g.inputWidth
        height = g.inputHeight
        relu = activation == .relu
    }

    /// Computes output channels `channels` (any sub-range of 0..<O), all pixels.
    func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, channels: Range<Int>) {
        run(input: input, output: output, channels: channels, pixels: 0..<pixels)
    }

    /// Computes output channels `channels` for the pixels of image rows `rows`.
    func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, channels: Range<Int>, rows: Range<Int>) {
        let width = pixels / max(height, 1)
        run(
            input: input, output: output, channels: channels,
            pixels: (rows.lowerBound * width)..<(rows.upperBound * width))
    }

    /// Computes every output channel of image rows `rows` into `band`, whose channels are
    /// `rows.count * W` floats apart (row `rows.lowerBound` first): a band of the output for
    /// `PointwiseDepthwiseConvolution`. Both pointers are borrowed for the call.
    func run(input: UnsafePointer<Float>, rows: Range<Int>, into band: UnsafeMutablePointer<Float>) {
        let width = pixels / max(height, 1)
        let first = rows.lowerBound * width
        let count = rows.count * width
        packed.withUnsafeBufferPointer { a in
            bias.withUnsafeBufferPointer { b in
                MatrixProduct(
                    a: a.baseAddress!, aStride: outputChannels, depth: inputChannels, b: input + first,
                    bStride: pixels, columns: count, c: band, cStride: count, bias: b.baseAddress!, relu: relu
                ).run(rows: 0..<outputChannels)
            }
        }
    }

    /// Computes output channels `channels` for pixels `range` (flat `y * W + x` indices).
    private func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, channels: Range<Int>, pixels range: Range<Int>
    ) {
        packed.withUnsafeBufferPointer { a in
            bias.withUnsafeBufferPointer { b in
                MatrixProduct(
                    a: a.baseAddress!, aStride: outputChannels, depth: inputChannels, b: input + range.lowerBound,
                    bStride: pixels, columns: range.count, c: output + range.lowerBound, cStride: pixels,
                    bias: b.baseAddress!, relu: relu
                ).run(rows: channels)
            }
        }
    }
}
