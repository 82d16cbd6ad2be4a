import NeuralKernelsCore

/// The fused depthwise 3x3 + pointwise 1x1 pair of one kernel variant (compiled into
/// `NeuralKernelsFMA` and `NeuralKernelsPortable`; `NeuralKernels.DepthwisePointwise2D` picks one
/// at run time and documents the API). Immutable after `init`.
package final class KernelDepthwisePointwise: Sendable {
    package let depthwise: ConvolutionGeometry
    package let pointwise: ConvolutionGeometry
    let kernel: DepthwisePointwiseConvolution

    /// True when the pair can be fused: `depthwise` is a 3x3 depthwise convolution with
    /// horizontal stride 1 or 2 and `pointwise` a plain 1x1 convolution of its output.
    package static func accepts(depthwise: ConvolutionGeometry, pointwise: ConvolutionGeometry) -> Bool {
        DepthwisePointwiseConvolution.accepts(depthwise: depthwise, pointwise: pointwise)
    }

    /// Prepares the pair (weights OIHW, biases of the output channel counts or nil). Traps on
    /// mismatched counts or a pair `accepts` rejects.
    package init(
        depthwise: ConvolutionGeometry, depthwiseWeights: [Float], depthwiseBias: [Float]?,
        depthwiseActivation: Activation, pointwise: ConvolutionGeometry, pointwiseWeights: [Float],
        pointwiseBias: [Float]?, pointwiseActivation: Activation
    ) {
        precondition(
            Self.accepts(depthwise: depthwise, pointwise: pointwise), "cannot fuse \(depthwise) and \(pointwise)")
        precondition(depthwiseWeights.count == depthwise.weightCount, "\(depthwise): weight count")
        precondition(pointwiseWeights.count == pointwise.weightCount, "\(pointwise): weight count")
        precondition(depthwiseBias == nil || depthwiseBias!.count == depthwise.outputChannels, "depthwise bias count")
        precondition(pointwiseBias == nil || pointwiseBias!.count == pointwise.outputChannels, "pointwise bias count")
        self.depthwise = depthwise
        self.pointwise = pointwise
        kernel = DepthwisePointwiseConvolution(
            depthwise: depthwise, depthwiseWeights: depthwiseWeights,
            depthwiseBias: depthwiseBias ?? .init(repeating: 0, count: depthwise.outputChannels),
            depthwiseActivation: depthwiseActivation, pointwise: pointwise, pointwiseWeights: pointwiseWeights,
            pointwiseBias: pointwiseBias ?? .init(repeating: 0, count: pointwise.outputChannels),
            pointwiseActivation: pointwiseActivation)
    }

    /// Floats of scratch memory one run needs (each concurrent partial run needs its own).
    package var scratchCount: Int { kernel.scratchCount }

    /// Runs output rows `outputRows` of every output channel (see `DepthwisePointwise2D`).
    package func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputRows: Range<Int>
    ) {
        precondition(
            outputRows.lowerBound >= 0 && outputRows.upperBound <= pointwise.outputHeight, "rows \(outputRows)")
        if outputRows.isEmpty { return }
        kernel.run(input: input, output: output, scratch: scratch, rows: outputRows)
    }
}
