import NeuralKernelsCore

/// A 1x1 convolution and the 3x3 stride-2 depthwise convolution that reads its output, run as one
/// (this file is compiled into both kernel variants; `NeuralKernels.PointwiseDepthwiseConvolution`
/// picks one at run time and documents the API).
package final class KernelPointwiseDepthwise: Sendable {
    package let pointwise: ConvolutionGeometry
    package let depthwise: ConvolutionGeometry
    let kernel: PointwiseDepthwiseStride2

    /// True when the geometries form a pair this kernel handles.
    package static func accepts(pointwise: ConvolutionGeometry, depthwise: ConvolutionGeometry) -> Bool {
        PointwiseDepthwiseStride2.accepts(pointwise: pointwise, depthwise: depthwise)
    }

    /// Prepares the pair; traps when `accepts` is false or a weight or bias count is wrong.
    package init(
        pointwise: ConvolutionGeometry, pointwiseWeights: [Float], pointwiseBias: [Float]?,
        pointwiseActivation: Activation, depthwise: ConvolutionGeometry, depthwiseWeights: [Float],
        depthwiseBias: [Float]?, depthwiseActivation: Activation, bandTarget: Int?
    ) {
        precondition(
            Self.accepts(pointwise: pointwise, depthwise: depthwise), "unsupported pair \(pointwise), \(depthwise)")
        precondition(pointwiseWeights.count == pointwise.weightCount && depthwiseWeights.count == depthwise.weightCount)
        precondition(pointwiseBias == nil || pointwiseBias!.count == pointwise.outputChannels)
        precondition(depthwiseBias == nil || depthwiseBias!.count == depthwise.outputChannels)
        self.pointwise = pointwise
        self.depthwise = depthwise
        let zeros = [Float](repeating: 0, count: pointwise.outputChannels)
        let pb = pointwiseBias ?? zeros
        let db = depthwiseBias ?? zeros
        if let bandTarget {
            kernel = PointwiseDepthwiseStride2(
                pointwise: pointwise, pointwiseWeights: pointwiseWeights, pointwiseBias: pb,
                pointwiseActivation: pointwiseActivation, depthwise: depthwise, depthwiseWeights: depthwiseWeights,
                depthwiseBias: db, depthwiseActivation: depthwiseActivation, bandTarget: bandTarget)
        } else {
            kernel = PointwiseDepthwiseStride2(
                pointwise: pointwise, pointwiseWeights: pointwiseWeights, pointwiseBias: pb,
                pointwiseActivation: pointwiseActivation, depthwise: depthwise, depthwiseWeights: depthwiseWeights,
                depthwiseBias: db, depthwiseActivation: depthwiseActivation)
        }
    }

    /// Floats of scratch one run needs.
    package var scratchCount: Int { kernel.scratchCount }

    /// Output rows per band.
    package var bandRows: Int { kernel.bandRows }

    /// Computes the depthwise output rows `outputRows` of every channel.
    package func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputRows: Range<Int>
    ) {
        precondition(outputRows.lowerBound >= 0 && outputRows.upperBound <= depthwise.outputHeight)
        kernel.run(input: input, output: output, scratch: scratch, rows: outputRows)
    }
}
