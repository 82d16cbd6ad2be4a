import NeuralKernelsCore

/// A 1x1 convolution and the 3x3 depthwise convolution that reads its output, run together in
/// bands of rows so that the intermediate map never leaves the cache:
///
///     mid = act1(pointwise(input)),   output = act2(depthwise(mid))
///
/// For each band of output rows, the 1x1 computes every channel of the input rows the band's
/// depthwise taps read (`PointwiseConvolution.run(input:rows:into:)`) into a band buffer in
/// scratch, and `DirectDepthwise3x3` computes the band's output rows from it. Neighbouring
/// bands share one input row (two with stride 1), which both compute. The sums are those of the
/// two kernels run one after the other. On 640x480 the intermediate map of the network's first
/// block (32 x 240 x 320 floats, 9.8 MB) otherwise goes out to memory and back.
package struct PointwiseDepthwiseConvolution: Sendable {
    let pointwise: PointwiseConvolution
    let depthwise: DirectDepthwise3x3
    let depthwiseWeights: [Float]
    let depthwiseBias: [Float]
    let depthwiseRelu: Bool
    /// Depthwise output rows per band.
    let bandRows: Int
    /// Input rows a band buffer holds at most.
    let bandInputRows: Int

    /// True when `pointwise` is a plain 1x1 convolution whose output `depthwise`, a 3x3 depthwise
    /// convolution `DirectDepthwise3x3` runs, reads.
    package static func accepts(pointwise p: ConvolutionGeometry, depthwise d: ConvolutionGeometry) -> Bool {
        PointwiseConvolution.accepts(p) && DirectDepthwise3x3.accepts(d) && d.inputChannels == p.outputChannels
            && d.inputHeight == p.outputHeight && d.inputWidth == p.outputWidth
    }

    /// `pointwiseWeights` are `[O][I]`, `depthwiseWeights` `[C][3][3]`; a nil bias is zero. A band
    /// holds at most `bandBytes` of the 1x1's rows (at least three rows).
    package init(
        pointwise p: ConvolutionGeometry, pointwiseWeights: [Float], pointwiseBias: [Float]?,
        pointwiseActivation: Activation, depthwise d: ConvolutionGeometry, depthwiseWeights: [Float],
        depthwiseBias: [Float]?, depthwiseActivation: Activation, bandBytes: Int
    ) {
        precondition(Self.accepts(pointwise: p, depthwise: d))
        precondition(pointwiseWeights.count == p.weightCount && depthwiseWeights.count == d.weightCount)
        pointwise = PointwiseConvolution(
            geometry: p, weights: pointwiseWeights,
            bias: pointwiseBias ?? [Float](repeating: 0, count: p.outputChannels), activation: pointwiseActivation)
        depthwise = DirectDepthwise3x3(geometry: d)
        self.depthwiseWeights = depthwiseWeights
        self.depthwiseBias = depthwiseBias ?? [Float](repeating: 0, count: d.outputChannels)
        depthwiseRelu = depthwiseActivation == .relu
        // The largest band whose input rows fit `bandBytes` (at least one output row).
        let rowBytes = d.inputChannels * d.inputWidth * MemoryLayout<Float>.stride
        let fitting = max(3, bandBytes / max(rowBytes, 1))
        bandRows = max(1, min(d.outputHeight, (fitting - 3) / d.strideY + 1))
        bandInputRows = (bandRows - 1) * d.strideY + 3
    }

    /// Number of bands a whole run is cut into.
    package var bandCount: Int { (depthwise.geometry.outputHeight + bandRows - 1) / bandRows }

    /// Floats of scratch one run needs: the band buffer, then the depthwise kernel's (its
    /// row of zeros and split rows).
    package var scratchCount: Int { bandFloats + depthwise.scratchCount }

    /// Floats of the band buffer: every channel's input rows of one band.
    private var bandFloats: Int { depthwise.geometry.inputChannels * bandInputRows * depthwise.geometry.inputWidth }

    /// Computes depthwise output rows `outputRows` of every channel, in bands of at most
    /// `bandRows` rows. `input` is the 1x1's NCHW input and `output` the whole NCHW output;
    /// `scratch` (`scratchCount` floats) is overwritten. Concurrent calls need disjoint rows and
    /// their own scratch. Every pointer is borrowed for the call.
    package func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputRows: Range<Int>
    ) {
        let d = depthwise.geometry
        let band = scratch
        // The depthwise kernel's scratch; its row of zeros is set once for all the bands.
        let depthwiseScratch = scratch + bandFloats
        depthwiseScratch.update(repeating: 0, count: depthwise.zeroRowFloats)
        depthwiseWeights.withUnsafeBufferPointer { w in
            var start = outputRows.lowerBound
            while start < outputRows.upperBound {
                let rows = start..<min(outputRows.upperBound, start + bandRows)
                // The input rows inside the picture that these outputs' taps read.
                let first = max(0, rows.lowerBound * d.strideY - d.padTop)
                let end = max(first, min(d.inputHeight, (rows.upperBound - 1) * d.strideY - d.padTop + 3))
                if first < end { pointwise.run(input: input, rows: first..<end, into: band) }
                depthwise.run(
                    input: band, rows: first..<end, output: output, scratch: depthwiseScratch, weights: w.baseAddress!,
                    bias: depthwiseBias, relu: depthwiseRelu, channels: 0..<d.outputChannels, outputRows: rows)
                start = rows.upperBound
            }
        }
    }
}
