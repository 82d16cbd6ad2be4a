import NeuralKernelsCore
import NeuralKernelsFMA
import NeuralKernelsPortable

/// A 1x1 convolution followed by the 3x3 depthwise convolution that reads its output, run in bands
/// of rows so that the map between them stays in the cache (batch 1, NCHW):
///
///     output = act2(depthwise(act1(pointwise(input))))
///
/// The same sums as the two `Convolution2D`s one after the other; the map between them is never
/// written out whole. Worth it where that map is larger than the L2 cache: the network's first
/// blocks on 320x240 and above all on 640x480 (32 x 240 x 320 floats). Immutable after `init`;
/// each caller passes its own scratch of `scratchCount` floats.
public struct PointwiseDepthwiseConvolution2D: Sendable {
    enum Implementation: Sendable {
        case fusedMultiplyAdd(NeuralKernelsFMA.PointwiseDepthwiseConvolution)
        case portable(NeuralKernelsPortable.PointwiseDepthwiseConvolution)
    }

    /// The band buffer's bound unless `init` is given another: about half of a 1 MB L2 cache,
    /// leaving room for the 1x1's input rows (256, 512 and 768 KiB measured the same on RFB-640).
    public static let defaultBandBytes = 512 * 1024

    public let pointwise: ConvolutionGeometry
    public let depthwise: ConvolutionGeometry
    public let variant: KernelVariant
    let implementation: Implementation

    /// True when `pointwise` is a 1x1 convolution (stride 1, no padding, one group) and
    /// `depthwise` a 3x3 depthwise convolution of its output that the band kernel runs: left
    /// padding 1, and stride 2 or rows of more than 128 outputs (narrower stride-1 maps keep
    /// their own kernel, which is faster there).
    public static func accepts(pointwise: ConvolutionGeometry, depthwise: ConvolutionGeometry) -> Bool {
        pointwise.isValid && depthwise.isValid
            && NeuralKernelsFMA.PointwiseDepthwiseConvolution.accepts(pointwise: pointwise, depthwise: depthwise)
    }

    /// Prepares both kernels. Weights are OIHW (`[O][I]` and `[C][3][3]`); a nil bias is zero.
    /// `bandBytes` bounds the band buffer (the default suits a 1 MB L2 cache; tests pass small
    /// values to get many bands). Traps when `accepts` is false, on mismatched counts, or on a
    /// variant this CPU cannot run.
    public init(
        pointwise: ConvolutionGeometry, pointwiseWeights: [Float], pointwiseBias: [Float]?,
        pointwiseActivation: Activation, depthwise: ConvolutionGeometry, depthwiseWeights: [Float],
        depthwiseBias: [Float]?, depthwiseActivation: Activation, variant: KernelVariant = .preferred,
        bandBytes: Int = defaultBandBytes
    ) {
        precondition(variant.isSupported, "kernel variant \(variant) is not supported by this CPU")
        precondition(Self.accepts(pointwise: pointwise, depthwise: depthwise))
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
                    depthwiseActivation: depthwiseActivation, bandBytes: bandBytes))
        case .portable:
            implementation = .portable(
                .init(
                    pointwise: pointwise, pointwiseWeights: pointwiseWeights, pointwiseBias: pointwiseBias,
                    pointwiseActivation: pointwiseActivation, depthwise: depthwise,
                    depthwiseWeights: depthwiseWeights, depthwiseBias: depthwiseBias,
                    depthwiseActivation: depthwiseActivation, bandBytes: bandBytes))
        }
    }

    /// Bands a whole run is cut into.
    public var bandCount: Int {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.bandCount
        case .portable(let k): k.bandCount
        }
    }

    /// Floats of scratch one run (or one part of a split run) needs.
    public var scratchCount: Int {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.scratchCount
        case .portable(let k): k.scratchCount
        }
    }

    /// Runs both convolutions for every output row.
    public func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        run(input: input, output: output, scratch: scratch, outputRows: 0..<depthwise.outputHeight)
    }

    /// Runs depthwise output rows `outputRows` (in bands); concurrent calls need disjoint rows and
    /// their own scratch. `input` holds the 1x1's input, `output` the depthwise output; pointers
    /// are borrowed for the call.
    public func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputRows: Range<Int>
    ) {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.run(input: input, output: output, scratch: scratch, outputRows: outputRows)
        case .portable(let k): k.run(input: input, output: output, scratch: scratch, outputRows: outputRows)
        }
    }
}
