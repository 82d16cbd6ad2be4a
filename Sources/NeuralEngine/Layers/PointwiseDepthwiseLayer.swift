import NeuralKernels

/// A 1x1 convolution and the 3x3 depthwise convolution that reads its output, in one step
/// (`PointwiseDepthwiseFusion`), through `NeuralKernels.PointwiseDepthwiseConvolution2D`: bands of
/// output rows, each computing the 1x1's rows it reads into scratch first. With more than one
/// thread the output rows are split into `threads` contiguous parts of nearly equal size, each
/// cut into its own bands, with its own scratch.
struct PointwiseDepthwiseLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let kernel: PointwiseDepthwiseConvolution2D
    /// Output rows of each part; one part runs unsplit.
    let parts: [Range<Int>]
    let scratchCount: Int

    /// `spec`'s inputs: the 1x1's input, the depthwise weights and bias, the 1x1's weights and
    /// bias (omitted biases are nil).
    init(
        _ spec: LayerSpec, depthwise: ConvolutionAttributes, leading: CompilationState.LeadingPointwise
    ) throws(EngineError) {
        try spec.requireFloat()
        let p = try leading.attributes.geometry(
            input: spec.inputShape(0), weight: spec.inputShape(3), bias: spec.inputShapes[4], node: spec.name)
        let d = try depthwise.geometry(
            input: [1, p.outputChannels, p.outputHeight, p.outputWidth], weight: spec.inputShape(1),
            bias: spec.inputShapes[2], node: spec.name)
        guard PointwiseDepthwiseConvolution2D.accepts(pointwise: p, depthwise: d) else {
            throw EngineError(.unsupported, node: spec.name, "1x1 and depthwise pair the band kernel does not run")
        }
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        kernel = PointwiseDepthwiseConvolution2D(
            pointwise: p, pointwiseWeights: try spec.constantFloats(3),
            pointwiseBias: spec.inputs[4] != nil ? try spec.constantFloats(4) : nil,
            pointwiseActivation: leading.activation == .relu ? .relu : .none, depthwise: d,
            depthwiseWeights: try spec.constantFloats(1),
            depthwiseBias: spec.inputs[2] != nil ? try spec.constantFloats(2) : nil,
            depthwiseActivation: spec.node.activation == .relu ? .relu : .none)
        parts = spec.parts(ofBlocks: d.outputHeight, multiplyAdds: p.multiplyAdds + d.multiplyAdds)
        scratchCount = kernel.scratchCount * parts.count
    }

    func run(_ context: ExecutionContext) {
        input.withFloats(context) { source in
            let output = context.floats(at: outputOffset)
            guard parts.count > 1, let pool = context.pool else {
                kernel.run(input: source, output: output, scratch: context.scratch)
                return
            }
            withUnsafePointer(to: self) { layer in
                var job = BandJob(layer: layer, input: source, output: output, scratch: context.scratch)
                withUnsafePointer(to: &job) { job in
                    pool.run(parts: parts.count, context: UnsafeRawPointer(job)) { raw, part in
                        let job = raw.assumingMemoryBound(to: BandJob.self).pointee
                        let layer = job.layer.pointee
                        layer.kernel.run(
                            input: job.input, output: job.output,
                            scratch: job.scratch + part * layer.kernel.scratchCount, outputRows: layer.parts[part])
                    }
                }
            }
        }
    }

    var profileDetail: String {
        let (p, d) = (kernel.pointwise, kernel.depthwise)
        return "pointwise+depthwise3x3 \(p.inputChannels)->\(p.outputChannels) k1x1, k3x3 s\(d.strideY) g\(d.groups), "
            + "\(kernel.bandCount) bands" + (parts.count > 1 ? " in \(parts.count) parts" : "")
    }

    var multiplyAdds: Int { kernel.pointwise.multiplyAdds + kernel.depthwise.multiplyAdds }
}

/// The buffers of one split run, on the caller's stack while the pool runs its parts.
private struct BandJob {
    let layer: UnsafePointer<PointwiseDepthwiseLayer>
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let scratch: UnsafeMutablePointer<Float>
}
