import NeuralKernelsCore
import NeuralKernelsFMA
import NeuralKernelsPortable

/// Shapes and hyper-parameters of one convolution (see `NeuralKernelsCore.ConvolutionGeometry`).
public typealias ConvolutionGeometry = NeuralKernelsCore.ConvolutionGeometry
/// Activation fused into a kernel's store.
public typealias Activation = NeuralKernelsCore.Activation

/// A convolution prepared for repeated runs: weights are packed once at creation, each run reads
/// an NCHW input and writes an NCHW output (batch 1), with bias and activation fused.
///
/// The kernel is chosen at creation from the geometry (see `Strategy`) and the instruction-set
/// variant at run time (`KernelVariant.preferred`, or the one passed to `init`). Immutable after
/// `init`, so one instance may be shared by threads; each caller passes its own scratch memory
/// of `scratchCount` floats.
public struct Convolution2D: Sendable {
    /// The kernels a convolution can run on.
    public typealias Strategy = ConvolutionStrategy

    enum Implementation: Sendable {
        case fusedMultiplyAdd(NeuralKernelsFMA.KernelConvolution)
        case portable(NeuralKernelsPortable.KernelConvolution)
    }

    public let geometry: ConvolutionGeometry
    public let activation: Activation
    /// The kernel build this convolution runs on.
    public let variant: KernelVariant
    let implementation: Implementation

    /// Prepares the kernel. `weights` is OIHW with `geometry.weightCount` elements; `bias` has
    /// `outputChannels` elements or is nil. Traps on mismatched counts, invalid geometry (the
    /// engine validates model shapes before it gets here) or a variant this CPU cannot run.
    public init(
        geometry: ConvolutionGeometry, weights: [Float], bias: [Float]?, activation: Activation,
        variant: KernelVariant = .preferred
    ) {
        precondition(variant.isSupported, "kernel variant \(variant) is not supported by this CPU")
        self.geometry = geometry
        self.activation = activation
        self.variant = variant
        switch variant {
        case .fusedMultiplyAdd:
            implementation = .fusedMultiplyAdd(
                .init(geometry: geometry, weights: weights, bias: bias, activation: activation))
        case .portable:
            implementation = .portable(.init(geometry: geometry, weights: weights, bias: bias, activation: activation))
        }
    }

    /// The kernel chosen for this geometry.
    public var strategy: Strategy {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.strategy
        case .portable(let k): k.strategy
        }
    }

    /// Floats of scratch memory one run needs (each concurrent partial run needs its own).
    public var scratchCount: Int {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.scratchCount
        case .portable(let k): k.scratchCount
        }
    }

    /// Runs the convolution.
    /// - Parameters:
    ///   - input: `geometry.inputCount` floats, NCHW.
    ///   - output: `geometry.outputCount` floats, NCHW; fully overwritten. Must not overlap `input`.
    ///   - scratch: `scratchCount` floats owned by the caller for the duration of the call.
    public func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.run(input: input, output: output, scratch: scratch)
        case .portable(let k): k.run(input: input, output: output, scratch: scratch)
        }
    }

    /// Runs the part of the convolution that writes output channels `outputChannels`, so that one
    /// convolution can be split across threads (see `outputChannelPartition(parts:)`).
    ///
    /// Writes only the planes `output[o * OH * OW ..< (o + 1) * OH * OW]` for `o` in the range and
    /// reads the whole input. Concurrent parts must use disjoint ranges and each its own scratch
    /// of `scratchCount` floats.
    public func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputChannels: Range<Int>
    ) {
        switch implementation {
        case .fusedMultiplyAdd(let k):
            k.run(input: input, output: output, scratch: scratch, outputChannels: outputChannels)
        case .portable(let k): k.run(input: input, output: output, scratch: scratch, outputChannels: outputChannels)
        }
    }

    /// True when `run(input:output:scratch:outputRows:)` computes a row range without redoing
    /// work shared by the whole plane (matrix-product kernels); otherwise split by channels.
    public var supportsRowPartition: Bool {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.supportsRowPartition
        case .portable(let k): k.supportsRowPartition
        }
    }

    /// Runs the part of the convolution that writes output rows `outputRows` of every output
    /// channel, so that one convolution can be split across threads by rows.
    ///
    /// Writes only `output[o * OH * OW + y * OW + x]` for `y` in the range. Concurrent parts must
    /// use disjoint ranges and each its own scratch of `scratchCount` floats. Kernels without
    /// row support (`supportsRowPartition` false) compute all rows when the range starts at 0
    /// and nothing otherwise.
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
        let total = geometry.outputHeight
        let count = max(1, min(parts, total))
        return (0..<count).map { total * $0 / count..<total * ($0 + 1) / count }
    }

    /// Output channels a partial run should start at for full speed (ranges starting elsewhere
    /// are correct, just slower at their edges).
    public var outputChannelAlignment: Int {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.outputChannelAlignment
        case .portable(let k): k.outputChannelAlignment
        }
    }

    /// Splits `0..<outputChannels` into at most `parts` non-empty, contiguous ranges of nearly
    /// equal size whose bounds are multiples of `outputChannelAlignment` (except the last end).
    public func outputChannelPartition(parts: Int) -> [Range<Int>] {
        switch implementation {
        case .fusedMultiplyAdd(let k): k.outputChannelPartition(parts: parts)
        case .portable(let k): k.outputChannelPartition(parts: parts)
        }
    }
}
