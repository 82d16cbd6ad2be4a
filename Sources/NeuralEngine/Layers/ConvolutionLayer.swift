import NeuralKernels

/// Conv (NCHW, batch 1) with bias and optional fused ReLU, through `NeuralKernels.Convolution2D`.
///
/// With more than one thread, a large convolution is split into `threads` parts run by the
/// session's `WorkerPool`: by output rows for the matrix-product kernels (each part reads its
/// share of the input and writes its rows of every channel, so no im2col work is repeated), by
/// output channels for depthwise and direct kernels. Each part has its own scratch slice.
struct ConvolutionLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let kernel: Convolution2D
    /// Output rows (`byRows`) or output channels of each part; one part runs unsplit.
    let parts: [Range<Int>]
    let byRows: Bool
    let scratchCount: Int

    /// Convolutions with fewer multiply-adds than this run on one thread (about 2-4 µs of work,
    /// comparable to the cost of handing parts to the workers).
    static let minimumMultiplyAddsToSplit = 1 << 17

    init(_ spec: LayerSpec, attributes: ConvolutionAttributes, fusedRelu: Bool) throws(EngineError) {
        try spec.requireFloat()
        let geometry = try spec.convolutionGeometry(attributes)
        let (weights, bias) = try spec.convolutionConstants()
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        let kernel = Convolution2D(
            geometry: geometry, weights: weights, bias: bias, activation: fusedRelu ? .relu : .none)
        self.kernel = kernel
        var parts = [0..<geometry.outputChannels]
        var byRows = false
        if spec.threads > 1 && geometry.multiplyAdds >= Self.minimumMultiplyAddsToSplit {
            // Rows when each part keeps at least two 24-wide column blocks, else channels.
            if kernel.supportsRowPartition && geometry.outputHeight * geometry.outputWidth >= 48 * spec.threads {
                parts = kernel.outputRowPartition(parts: spec.threads)
                byRows = true
            } else {
                parts = kernel.outputChannelPartition(parts: spec.threads)
            }
        }
        self.parts = parts
        self.byRows = byRows
        scratchCount = kernel.scratchCount * parts.count
    }

    func run(_ context: ExecutionContext) {
        input.withBytes(context) { inputBytes in
            let source = inputBytes.assumingMemoryBound(to: Float.self)
            let output = context.floats(at: outputOffset)
            guard parts.count > 1, let pool = context.pool else {
                kernel.run(input: source, output: output, scratch: context.scratch)
                return
            }
            withUnsafePointer(to: self) { layer in
                var job = ConvolutionJob(layer: layer, input: source, output: output, scratch: context.scratch)
                withUnsafePointer(to: &job) { job in
                    pool.run(parts: parts.count, context: UnsafeRawPointer(job)) { raw, part in
                        let job = raw.assumingMemoryBound(to: ConvolutionJob.self).pointee
                        job.layer.pointee.runPart(part, job)
                    }
                }
            }
        }
    }

    var profileDetail: String {
        let g = kernel.geometry
        return
            "\(kernel.strategy) \(g.inputChannels)->\(g.outputChannels) k\(g.kernelHeight)x\(g.kernelWidth) s\(g.strideY) g\(g.groups)"
            + (parts.count > 1 ? " \(parts.count) parts by \(byRows ? "rows" : "channels")" : "")
    }

    var multiplyAdds: Int { kernel.geometry.multiplyAdds }

    /// Part `index` of a split run, on its own slice of scratch.
    private func runPart(_ index: Int, _ job: ConvolutionJob) {
        let scratch = job.scratch + index * kernel.scratchCount
        if byRows {
            kernel.run(input: job.input, output: job.output, scratch: scratch, outputRows: parts[index])
        } else {
            kernel.run(input: job.input, output: job.output, scratch: scratch, outputChannels: parts[index])
        }
    }
}

/// The buffers of one split convolution, on the caller's stack while the pool runs its parts.
private struct ConvolutionJob {
    let layer: UnsafePointer<ConvolutionLayer>
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let scratch: UnsafeMutablePointer<Float>
}
