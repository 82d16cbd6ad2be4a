import NeuralKernelsCore
import NeuralKernelsFMA
import NeuralKernelsPortable

/// A 1x1 convolution (stride 1, no padding, one group) followed by the 3x3 stride-2 depthwise
/// convolution of its output, computed together in bands of rows so that the intermediate map
/// stays in cache and is never written out. Same results as the two `Convolution2D`s in turn
/// (up to the rounding of a fused multiply-add). Immutable after `init`; each caller passes its
/// own scratch of `scratchCount` floats.
public struct PointwiseDepthwiseConvolution: Sendable {
    enum Implementation: Sendable {
        case fusedMultiplyAdd(NeuralKernelsFMA.KernelPointwiseDepthwise)
        case portable(NeuralKernelsPortable.KernelPointwiseDepthwise)
    }

    /// The 1x1 convolution (input geometry of the pair).
    public let pointwise: ConvolutionGeometry
    /// The depthwise convolution (output geometry of the pair).
    public let depthwise: ConvolutionGeometry
    /// The kernel build this pair runs on.
    public let variant: KernelVariant
    let implementation: Implementation

    /// True when the pair can run fused: `pointwise` is a plain 1x1 convolution with one group,
    /// `depthwise` a 3x3 depthwise convolution of its output with stride 2, dilation 1, left and
    /// top padding at most 2 and at least 8 output columns.
    public static func accepts(pointwise: ConvolutionGeometry, depthwise: ConvolutionGeometry) -> Bool {
        pointwise.isValid && depthwise.isValid
            && NeuralKernelsFMA.KernelPointwiseDepthwise.accepts(pointwise: pointwise, depthwise: depthwise)
    }

    /// Prepares the pair (weights OIHW, biases per output channel or nil). `bandTarget` (floats
    /// of intermediate rows one band holds) is for benchmarks; nil picks the default. Traps when
    /// `accepts` is false, on wrong weight counts or a variant this CPU cannot run.
    public init(
        pointwise: ConvolutionGeometry, pointwiseWeights: [Float], pointwiseBias: [Float]?,
        pointwiseActivation: Activation, depthwise: ConvolutionGeometry, depthwiseWeights: [Float],
        depthwiseBias: [Float]?, depthwiseActivation: Activation, variant: KernelVariant = .preferred,
        bandTarget: Int? = nil
    ) {
        precondition(variant.isSupported, "kernel variant \(variant) is not supported by this CPU")
        self.pointwise = pointwise
        self.depthwise = depthwise
        self.variant = variant
        switch variant {
        case .fusedMultiplyAdd:
            implementation = .fusedMultiplyAdd(
                .init(
                    pointwise: pointwise, pointwiseWeights: pointwiseWeights, pointwiseBias: pointwiseBias,
                    pointwiseActivation: pointwiseActivation, depthwise: depthwise,
                    depthwiseWeights: depthwiseWeights, depthwiseBias: depthwiseBias,
                    depthwiseActivation: depthwiseActivation, bandTarget: bandTarget))
        case .portable:
            implementation = .portable(
                .init(
                    pointwise: pointwise, pointwiseWeights: pointwiseWeights, pointwiseBias: pointwiseBias,
                    pointwiseActivation: pointwiseActivation, depthwise: depthwise,
                    depthwiseWeights: depthwiseWeights, depthwiseBias: depthwiseBias,
                    depthwiseActivation: depthwiseActivation, bandTarget: bandTarget))
        }
    }

    /// Floats of scratch memory one run needs (each concurrent partial run needs its own).
    public var scratchCount: Int {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.scratchCount
        case .portable(let k): k.scratchCount
        }
    }

    /// Output rows computed per band.
    public var bandRows: Int {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.bandRows
        case .portable(let k): k.bandRows
        }
    }

    /// Computes output rows `outputRows` (all of them when nil) of every channel: reads the whole
    /// `pointwise.inputCount`-float input, writes only `output[m * OH * OW + y * OW + x]` for `y`
    /// in the range. Concurrent parts must use disjoint ranges and each its own scratch.
    public func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputRows: Range<Int>? = nil
    ) {
        let rows = outputRows ?? 0..<depthwise.outputHeight
        switch implementation {
        case .fusedMultiplyAdd(let k): k.run(input: input, output: output, scratch: scratch, outputRows: rows)
        case .portable(let k): k.run(input: input, output: output, scratch: scratch, outputRows: rows)
        }
    }
}
