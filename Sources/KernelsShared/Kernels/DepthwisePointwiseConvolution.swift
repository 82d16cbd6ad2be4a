import NeuralKernelsCore

/// A 3x3 depthwise convolution followed by a 1x1 convolution (the MobileNet pair), computed in
/// bands of output rows so that the depthwise result never goes to memory:
///
///     mid[c, y, x] = actD(depthwise(in)[c, y, x])                       (see DepthwiseConvolution3x3)
///     out[o, y, x] = actP(b[o] + sum_c w[o, c] * mid[c, y, x])
///
/// For each band of rows `y0 ..< y1`, the depthwise kernel writes `mid` for all channels into
/// scratch (`C x (y1 - y0) * OW` floats, `bandFloats` at most, so it stays in L2), then one
/// matrix product `[O x C] * [C x band]` reads it and writes the band's rows of every output
/// plane. The big intermediate map (e.g. 16 x 120 x 160 floats, 1.2 MB) is neither written
/// nor read back.
struct DepthwisePointwiseConvolution: Sendable {
    let depthwise: DepthwiseConvolution3x3
    /// Pointwise weights k-major: `packed[c * O + o] = w[o, c]`.
    let packed: [Float]
    let bias: [Float]
    let outputChannels: Int
    let relu: Bool
    /// Output rows per band.
    let bandRows: Int

    /// Target floats of one band of the intermediate map.
    static let bandFloats = 16_384

    /// True when `depthwise` is a 3x3 depthwise geometry this kernel handles and `pointwise` a
    /// plain 1x1 convolution reading its output.
    static func accepts(depthwise: ConvolutionGeometry, pointwise: ConvolutionGeometry) -> Bool {
        DepthwiseConvolution3x3.accepts(depthwise) && PointwiseConvolution.accepts(pointwise)
            && pointwise.inputChannels == depthwise.outputChannels
            && pointwise.inputHeight == depthwise.outputHeight && pointwise.inputWidth == depthwise.outputWidth
    }

    init(
        depthwise: ConvolutionGeometry, depthwiseWeights: [Float], depthwiseBias: [Float],
        depthwiseActivation: Activation, pointwise: ConvolutionGeometry, pointwiseWeights: [Float],
        pointwiseBias: [Float], pointwiseActivation: Activation
    ) {
        self.depthwise = DepthwiseConvolution3x3(
            geometry: depthwise, weights: depthwiseWeights, bias: depthwiseBias, activation: depthwiseActivation)
        let channels = pointwise.inputChannels
        let oc = pointwise.outputChannels
        var packed = [Float](repeating: 0, count: channels * oc)
        for o in 0..<oc {
            for c in 0..<channels { packed[c * oc + o] = pointwiseWeights[o * channels + c] }
        }
        self.packed = packed
        bias = pointwiseBias
        outputChannels = oc
        relu = pointwiseActivation == .relu
        let rowFloats = channels * depthwise.outputWidth
        bandRows = min(depthwise.outputHeight, max(1, Self.bandFloats / max(rowFloats, 1)))
    }

    /// Floats of the depthwise copy at the start of scratch.
    private var copyFloats: Int { depthwise.scratchCount(rows: bandRows) }

    /// Floats of scratch one run needs: the depthwise copy of one band, then the band of `mid`.
    var scratchCount: Int {
        let g = depthwise.geometry
        return copyFloats + g.outputChannels * bandRows * g.outputWidth
    }

    /// Computes output rows `rows` of every output channel (rows are independent, so a run can be
    /// split across threads by rows, each part with its own scratch).
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        rows: Range<Int>
    ) {
        let g = depthwise.geometry
        let ow = g.outputWidth
        let plane = g.outputHeight * ow
        let band = scratch + copyFloats
        scratch.update(repeating: 0, count: copyFloats)
        packed.withUnsafeBufferPointer { weights in
            bias.withUnsafeBufferPointer { bias in
                var y0 = rows.lowerBound
                while y0 < rows.upperBound {
                    let y1 = min(rows.upperBound, y0 + bandRows)
                    let columns = (y1 - y0) * ow
                    depthwise.run(
                        input: input, output: band, planeStride: columns, scratch: scratch,
                        channels: 0..<g.outputChannels, rows: y0..<y1)
                    MatrixProduct(
                        a: weights.baseAddress!, aStride: outputChannels, depth: g.outputChannels,
                        b: UnsafePointer(band), bStride: columns, columns: columns, c: output + y0 * ow,
                        cStride: plane, bias: bias.baseAddress!, relu: relu
                    ).run(rows: 0..<outputChannels)
                    y0 = y1
                }
            }
        }
    }
}
