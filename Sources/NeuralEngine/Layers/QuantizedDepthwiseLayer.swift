import NeuralKernels

/// A 3x3 depthwise convolution that reads the bytes an int8 convolution wrote (`Int8ByteLinks`)
/// and runs in 8-bit integers through `NeuralKernels.Int8DepthwiseConvolution`, writing floats.
/// The channels are split across the session's workers.
struct QuantizedDepthwiseLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let kernel: Int8DepthwiseConvolution
    /// Channels of each part; one part runs on the calling thread.
    let parts: [Range<Int>]
    let multiplyAdds: Int

    init(_ spec: LayerSpec, attributes: ConvolutionAttributes) throws(EngineError) {
        let geometry = try spec.convolutionGeometry(attributes)
        guard let scales = spec.node.byteInputScales, Int8ByteLinks.accepts(depthwise: geometry),
            scales.count == geometry.inputChannels
        else {
            throw EngineError(.invalidGraph, node: spec.name, "not a depthwise convolution the int8 byte kernel runs")
        }
        let (weights, bias) = try spec.convolutionConstants()
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        kernel = Int8DepthwiseConvolution(
            channels: geometry.inputChannels, inputHeight: geometry.inputHeight, inputWidth: geometry.inputWidth,
            stride: geometry.strideY, weights: weights, bias: bias, relu: spec.node.activation == .relu,
            inputScales: scales, outputStep: spec.node.byteOutputScales?.first)
        parts = spec.parts(ofBlocks: geometry.inputChannels, multiplyAdds: geometry.multiplyAdds)
        multiplyAdds = geometry.multiplyAdds
    }

    func run(_ context: ExecutionContext) {
        // Floats, or bytes when the next layer reads bytes (`Int8ByteLinks`).
        let output = context.arena + outputOffset
        input.withBytes(context) { raw in
            // The arena holds this value as bytes (`Int8ByteLinks`, `MemoryPlanner`), for this call.
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            guard parts.count > 1, let pool = context.pool else {
                kernel.run(
                    input: bytes, output: output, channels: parts[0].lowerBound..<parts[parts.count - 1].upperBound)
                return
            }
            withUnsafePointer(to: self) { layer in
                var job = DepthwiseJob(layer: layer, input: bytes, output: output)
                withUnsafePointer(to: &job) { job in
                    pool.run(parts: parts.count, context: UnsafeRawPointer(job)) { raw, part in
                        let job = raw.assumingMemoryBound(to: DepthwiseJob.self).pointee
                        let layer = job.layer.pointee
                        layer.kernel.run(input: job.input, output: job.output, channels: layer.parts[part])
                    }
                }
            }
        }
    }

    var profileDetail: String {
        "int8-avx512-vbmi depthwise3x3 \(kernel.channels) channels" + (kernel.stride > 1 ? " s\(kernel.stride)" : "")
            + " bytes in" + (kernel.writesBytes ? ", bytes out" : "")
            + (parts.count > 1 ? " \(parts.count) parts by channels" : "")
    }
}

/// The buffers of one split run, on the caller's stack while the pool runs its parts.
private struct DepthwiseJob {
    let layer: UnsafePointer<QuantizedDepthwiseLayer>
    let input: UnsafePointer<UInt8>
    let output: UnsafeMutableRawPointer
}
