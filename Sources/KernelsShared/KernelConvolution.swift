import NeuralKernelsCore

/// The convolution of one kernel variant (this file is compiled into `NeuralKernelsFMA` and
/// `NeuralKernelsPortable`; `NeuralKernels.Convolution2D` picks one at run time and documents
/// the API). Weights are packed once at creation; immutable after `init`. A class, so that the
/// front module holds a reference and never depends on the layout of the kernels (which would
/// otherwise need a rebuild of every client whenever a kernel gains a field).
package final class KernelConvolution: Sendable {
    enum Kernel: Sendable {
        case pointwise(PointwiseConvolution)
        case im2col(Im2colConvolution)
        case shiftedRows(ShiftedRowsConvolution)
        case depthwise3x3(DepthwiseConvolution3x3)
        case stem3x3(StemConvolution3x3)
        case generic(GenericConvolution)
    }

    package let geometry: ConvolutionGeometry
    package let activation: Activation
    let kernel: Kernel

    /// Prepares the kernel. `weights` is OIHW with `geometry.weightCount` elements; `bias` has
    /// `outputChannels` elements or is nil. Traps on mismatched counts or invalid geometry (the
    /// engine validates model shapes before it gets here).
    package init(geometry: ConvolutionGeometry, weights: [Float], bias: [Float]?, activation: Activation) {
        precondition(geometry.isValid, "invalid convolution geometry: \(geometry)")
        precondition(
            weights.count == geometry.weightCount,
            "\(geometry): expected \(geometry.weightCount) weights, got \(weights.count)")
        precondition(bias == nil || bias!.count == geometry.outputChannels, "\(geometry): bias count \(bias!.count)")
        self.geometry = geometry
        self.activation = activation
        let bias = bias ?? [Float](repeating: 0, count: geometry.outputChannels)
        if PointwiseConvolution.accepts(geometry) {
            kernel = .pointwise(
                PointwiseConvolution(geometry: geometry, weights: weights, bias: bias, activation: activation))
        } else if DepthwiseConvolution3x3.accepts(geometry) {
            kernel = .depthwise3x3(
                DepthwiseConvolution3x3(geometry: geometry, weights: weights, bias: bias, activation: activation))
        } else if StemConvolution3x3.accepts(geometry) {
            kernel = .stem3x3(
                StemConvolution3x3(geometry: geometry, weights: weights, bias: bias, activation: activation))
        } else if (geometry.inputChannelsPerGroup > 1 || geometry.outputChannelsPerGroup > 1)
            && ShiftedRowsConvolution.accepts(geometry)
        {
            kernel = .shiftedRows(
                ShiftedRowsConvolution(geometry: geometry, weights: weights, bias: bias, activation: activation))
        } else if geometry.inputChannelsPerGroup > 1 || geometry.outputChannelsPerGroup > 1 {
            kernel = .im2col(
                Im2colConvolution(geometry: geometry, weights: weights, bias: bias, activation: activation))
        } else {
            kernel = .generic(
                GenericConvolution(geometry: geometry, weights: weights, bias: bias, activation: activation))
        }
    }

    /// The kernel chosen for this geometry.
    package var strategy: ConvolutionStrategy {
        switch kernel {
        case .pointwise: .pointwise
        case .im2col: .im2col
        case .shiftedRows: .shiftedRows
        case .depthwise3x3(let k): k.interleaved == nil ? .depthwise3x3 : .interleavedDepthwise3x3
        case .stem3x3: .stem3x3
        case .generic: .generic
        }
    }

    /// Floats of scratch memory one run needs (each concurrent partial run needs its own).
    package var scratchCount: Int {
        switch kernel {
        case .pointwise, .generic: 0
        case .depthwise3x3(let k): k.scratchCount
        case .im2col(let k): k.scratchCount
        case .shiftedRows(let k): k.scratchCount
        case .stem3x3(let k): k.scratchCount
        }
    }

    /// Runs the convolution.
    /// - Parameters:
    ///   - input: `geometry.inputCount` floats, NCHW.
    ///   - output: `geometry.outputCount` floats, NCHW; fully overwritten. Must not overlap `input`.
    ///   - scratch: `scratchCount` floats owned by the caller for the duration of the call.
    package func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        run(input: input, output: output, scratch: scratch, outputChannels: 0..<geometry.outputChannels)
    }

    /// Runs the part of the convolution that writes output channels `outputChannels`, so that one
    /// convolution can be split across threads (see `outputChannelPartition(parts:)`).
    ///
    /// Writes only the planes `output[o * OH * OW ..< (o + 1) * OH * OW]` for `o` in the range and
    /// reads the whole input. Concurrent parts must use disjoint ranges and each its own scratch
    /// of `scratchCount` floats.
    package func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputChannels: Range<Int>
    ) {
        precondition(
            outputChannels.lowerBound >= 0 && outputChannels.upperBound <= geometry.outputChannels,
            "\(geometry): channels \(outputChannels)")
        if outputChannels.isEmpty { return }
        switch kernel {
        case .pointwise(let k): k.run(input: input, output: output, channels: outputChannels)
        case .im2col(let k): k.run(input: input, output: output, scratch: scratch, channels: outputChannels)
        case .depthwise3x3(let k): k.run(input: input, output: output, scratch: scratch, channels: outputChannels)
        case .generic(let k): k.run(input: input, output: output, channels: outputChannels)
        case .stem3x3(let k):
            k.run(
                input: input, output: output, scratch: scratch, channels: outputChannels,
                rows: 0..<geometry.outputHeight)
        case .shiftedRows(let k):
            k.run(
                input: input, output: output, scratch: scratch, channels: outputChannels,
                rows: 0..<geometry.outputHeight)
        }
    }

    /// True when `run(input:output:scratch:outputRows:)` computes a row range without redoing
    /// work shared by the whole plane (matrix-product kernels); otherwise split by channels.
    package var supportsRowPartition: Bool {
        switch kernel {
        case .pointwise, .stem3x3, .shiftedRows: true
        case .im2col(let k): k.geometry.groups == 1
        case .depthwise3x3, .generic: false
        }
    }

    /// Runs the part of the convolution that writes output rows `outputRows` of every output
    /// channel, so that one convolution can be split across threads by rows.
    ///
    /// Writes only `output[o * OH * OW + y * OW + x]` for `y` in the range. Concurrent parts must
    /// use disjoint ranges and each its own scratch of `scratchCount` floats. Kernels without
    /// row support (`supportsRowPartition` false) compute all rows when the range starts at 0
    /// and nothing otherwise.
    package func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        outputRows: Range<Int>
    ) {
        precondition(
            outputRows.lowerBound >= 0 && outputRows.upperBound <= geometry.outputHeight,
            "\(geometry): rows \(outputRows)")
        if outputRows.isEmpty { return }
        switch kernel {
        case .pointwise(let k):
            k.run(input: input, output: output, channels: 0..<geometry.outputChannels, rows: outputRows)
        case .im2col(let k):
            k.run(
                input: input, output: output, scratch: scratch, channels: 0..<geometry.outputChannels, rows: outputRows)
        case .stem3x3(let k):
            k.run(
                input: input, output: output, scratch: scratch, channels: 0..<geometry.outputChannels, rows: outputRows)
        case .shiftedRows(let k):
            k.run(
                input: input, output: output, scratch: scratch, channels: 0..<geometry.outputChannels, rows: outputRows)
        case .depthwise3x3, .generic:
            if outputRows.lowerBound == 0 { run(input: input, output: output, scratch: scratch) }
        }
    }

    /// Output channels a partial run should start at for full speed (ranges starting elsewhere
    /// are correct, just slower at their edges).
    package var outputChannelAlignment: Int {
        switch kernel {
        case .pointwise, .stem3x3, .shiftedRows: 4
        case .im2col(let k): k.geometry.groups == 1 ? 4 : k.geometry.outputChannelsPerGroup
        case .depthwise3x3(let k): k.channelAlignment
        case .generic: 1
        }
    }

    /// Splits `0..<outputChannels` into at most `parts` non-empty, contiguous ranges of nearly
    /// equal size whose bounds are multiples of `outputChannelAlignment` (except the last end).
    package func outputChannelPartition(parts: Int) -> [Range<Int>] {
        let total = geometry.outputChannels
        let align = outputChannelAlignment
        let blocks = (total + align - 1) / align
        let count = max(1, min(parts, blocks))
        return (0..<count).map { part in
            let start = min(total, blocks * part / count * align)
            let end = min(total, blocks * (part + 1) / count * align)
            return start..<end
        }
    }
}
