import NeuralKernels

/// A depthwise 3x3 Conv and the 1x1 Conv reading it, merged by `DepthwisePointwiseFusion`, run
/// through `NeuralKernels.DepthwisePointwise2D` in bands of rows. Inputs: X, depthwise W and
/// optional B, pointwise W and optional B. With more than one thread the output rows are split
/// into `threads` parts run by the session's `WorkerPool`, each with its own scratch slice.
struct DepthwisePointwiseLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let kernel: DepthwisePointwise2D
    /// Output rows of each part; one part runs unsplit.
    let parts: [Range<Int>]
    let scratchCount: Int

    init(
        _ spec: LayerSpec, depthwise: ConvolutionAttributes, pointwise: CompilationState.FusedPointwise
    ) throws(EngineError) {
        try spec.requireFloat()
        func optional(_ index: Int) throws(EngineError) -> [Float]? {
            index < spec.inputs.count && spec.inputs[index] != nil ? try spec.constantFloats(index) : nil
        }
        func shape(_ index: Int) -> [Int]? { index < spec.inputShapes.count ? spec.inputShapes[index] : nil }
        let depthwiseGeometry = try depthwise.geometry(
            input: spec.inputShape(0), weight: spec.inputShape(1), bias: shape(2), node: spec.name)
        let middle = [
            1, depthwiseGeometry.outputChannels, depthwiseGeometry.outputHeight, depthwiseGeometry.outputWidth,
        ]
        let pointwiseGeometry = try pointwise.attributes.geometry(
            input: middle, weight: spec.inputShape(3), bias: shape(4), node: spec.name)
        guard DepthwisePointwise2D.accepts(depthwise: depthwiseGeometry, pointwise: pointwiseGeometry) else {
            throw EngineError(
                .invalidGraph, node: spec.name, "cannot fuse \(depthwiseGeometry) and \(pointwiseGeometry)")
        }
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        kernel = DepthwisePointwise2D(
            depthwise: depthwiseGeometry, depthwiseWeights: try spec.constantFloats(1),
            depthwiseBias: try optional(2), depthwiseActivation: spec.node.activation == .relu ? .relu : .none,
            pointwise: pointwiseGeometry, pointwiseWeights: try spec.constantFloats(3), pointwiseBias: try optional(4),
            pointwiseActivation: pointwise.activation == .relu ? .relu : .none)
        let work = depthwiseGeometry.multiplyAdds + pointwiseGeometry.multiplyAdds
        parts =
            spec.threads > 1 && work >= ConvolutionLayer.minimumMultiplyAddsToSplit
            ? kernel.outputRowPartition(parts: spec.threads) : [0..<pointwiseGeometry.outputHeight]
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
                var job = Job(layer: layer, input: source, output: output, scratch: context.scratch)
                withUnsafePointer(to: &job) { job in
                    pool.run(parts: parts.count, context: UnsafeRawPointer(job)) { raw, part in
                        let job = raw.assumingMemoryBound(to: Job.self).pointee
                        let layer = job.layer.pointee
                        layer.kernel.run(
                            input: job.input, output: job.output,
                            scratch: job.scratch + part * layer.kernel.scratchCount,
                            outputRows: layer.parts[part])
                    }
                }
            }
        }
    }

    var profileDetail: String {
        let d = kernel.depthwise
        let p = kernel.pointwise
        return "depthwise3x3+pointwise \(d.inputChannels)->\(d.outputChannels)->\(p.outputChannels) s\(d.strideY)"
            + (parts.count > 1 ? " \(parts.count) parts by rows" : "")
    }

    var multiplyAdds: Int { kernel.multiplyAdds }

    /// The buffers of one split run, on the caller's stack while the pool runs its parts.
    private struct Job {
        let layer: UnsafePointer<DepthwisePointwiseLayer>
        let input: UnsafePointer<Float>
        let output: UnsafeMutablePointer<Float>
        let scratch: UnsafeMutablePointer<Float>
    }
}
