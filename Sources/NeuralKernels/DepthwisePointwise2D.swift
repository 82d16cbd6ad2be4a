import NeuralKernelsCore
import NeuralKernelsFMA
import NeuralKernelsPortable

/// A 3x3 depthwise convolution and the 1x1 convolution that reads its output, run as one step in
/// bands of rows so that the intermediate map stays in cache (NCHW, batch 1; each convolution
/// with its own bias and activation).
///
/// Immutable after `init`, so one instance may be shared by threads; each caller passes its
/// own scratch memory of `scratchCount` floats.
public struct DepthwisePointwise2D: Sendable {
    enum Implementation: Sendable {
        case fusedMultiplyAdd(NeuralKernelsFMA.KernelDepthwisePointwise)
        case portable(NeuralKernelsPortable.KernelDepthwisePointwise)
    }

    /// The depthwise convolution (groups == channels, 3x3, horizontal stride 1 or 2).
    public let depthwise: ConvolutionGeometry
    /// The 1x1 convolution (stride 1, no padding, one group) of the depthwise output.
    public let pointwise: ConvolutionGeometry
    /// The kernel build this pair runs on.
    public let variant: KernelVariant
    let implementation: Implementation

    /// True when the pair can run fused (otherwise run the two `Convolution2D`s).
    public static func accepts(depthwise: ConvolutionGeometry, pointwise: ConvolutionGeometry) -> Bool {
        NeuralKernelsPortable.KernelDepthwisePointwise.accepts(depthwise: depthwise, pointwise: pointwise)
    }

    /// Prepares the pair. Weights are OIHW with each geometry's `weightCount` elements, biases
    /// have the output channel counts or are nil. Traps on mismatched counts, a pair `accepts`
    /// rejects, or a variant this CPU cannot run.
    public init(
        depthwise: ConvolutionGeometry, depthwiseWeights: [Float], depthwiseBias: [Float]?,
        depthwiseActivation: Activation, pointwise: ConvolutionGeometry, pointwiseWeights: [Float],
        pointwiseBias: [Float]?, pointwiseActivation: Activation, variant: KernelVariant = .preferred
    ) {
        precondition(variant.isSupported, "kernel variant \(variant) is not supported by this CPU")
        self.depthwise = depthwise
        self.pointwise = pointwise
        self.variant = variant
        switch variant {
        case .fusedMultiplyAdd:
            implementation = .fusedMultiplyAdd(
                .init(
                    depthwise: depthwise, depthwiseWeights: depthwiseWeights, depthwiseBias: depthwiseBias,
                    depthwiseActivation: depthwiseActivation, pointwise: pointwise,
                    pointwiseWeights: pointwiseWeights, pointwiseBias: pointwiseBias,
                    pointwiseActivation: pointwiseActivation))
        case .portable:
            implementation = .portable(
                .init(
                    depthwise: depthwise, depthwiseWeights: depthwiseWeights, depthwiseBias: depthwiseBias,
                    depthwiseActivation: depthwiseActivation, pointwise: pointwise,
                    pointwiseWeights: pointwiseWeights, pointwiseBias: pointwiseBias,
                    pointwiseActivation: pointwiseActivation))
        }
    }

    /// Floats of scratch memory one run needs (each concurrent partial run needs its own).
    public var scratchCount: Int {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.scratchCount
        case .portable(let k): k.scratchCount
        }
    }

    /// Multiply-adds per run (both convolutions).
    public var multiplyAdds: Int { depthwise.multiplyAdds + pointwise.multiplyAdds }

    /// Runs the pair.
    /// - Parameters:
    ///   - input: `depthwise.inputCount` floats, NCHW.
    ///   - output: `pointwise.outputCount` floats, NCHW; fully overwritten. Must not overlap `input`.
    ///   - scratch: `scratchCount` floats owned by the caller for the duration of the call.
    public func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        run(input: input, output: output, scratch: scratch, outputRows: 0..<pointwise.outputHeight)
    }

    /// Runs the part that writes output rows `outputRows` of every output channel, so that the
    /// pair can be split across threads by rows: writes only `output[o * OH * OW + y * OW + x]`
    /// for `y` in the range. Concurrent parts must use disjoint ranges and each its own scratch.
    public func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputRows: Range<Int>
    ) {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.run(input: input, output: output, scratch: scratch, outputRows: outputRows)
        case .portable(let k): k.run(input: input, output: output, scratch: scratch, outputRows: outputRows)
        }
    }

    /// Splits `0..<outputHeight` into at most `parts` non-empty, contiguous ranges of nearly
    /// equal size.
    public func outputRowPartition(parts: Int) -> [Range<Int>] {
        let total = pointwise.outputHeight
        let count = max(1, min(parts, total))
        return (0..<count).map { total * $0 / count..<total * ($0 + 1) / count }
    }
}
