import NeuralKernels

/// A KxK convolution (one group; any stride, padding and dilation) run in 8-bit integers
/// (`Precision.int8`) through `NeuralKernels.Int8SpatialConvolution`: the input's range is found
/// (or known in advance, for a graph input named in `CompileOptions.inputRanges`) and the input
/// quantised into a padded image in scratch on the calling thread, then the row
/// blocks are split across the session's workers. Only convolutions `Int8Placement` marks (in
/// UltraFace the stem and the RFB blocks' dense 3x3 branches); the heads stay float32.
struct QuantizedSpatialLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let kernel: Int8SpatialConvolution
    /// Blocks (16 output pixels of a row) of each part; one part runs on the calling thread.
    let parts: [Range<Int>]
    let scratchCount: Int
    /// The input's quantisation when its range is known in advance (`Node.inputRange`); nil when
    /// each run finds it.
    let fixedQuantization: Int8InputQuantization?

    /// The layer for `spec` when the precision is int8, the CPU has int8 kernels and the node is
    /// a marked convolution with a kernel larger than 1x1 and one group; nil otherwise.
    static func make(_ spec: LayerSpec, attributes: ConvolutionAttributes) throws(EngineError) -> Self? {
        guard let (geometry, variant) = try spec.int8Convolution(attributes) else { return nil }
        guard accepts(geometry) else { return nil }
        return try Self(spec, geometry: geometry, variant: variant)
    }

    /// True for the convolutions this layer runs (given that `Int8Placement` marked them).
    static func accepts(_ geometry: ConvolutionGeometry) -> Bool {
        geometry.kernelHeight * geometry.kernelWidth > 1 && Int8SpatialConvolution.supports(geometry)
    }

    private init(_ spec: LayerSpec, geometry: ConvolutionGeometry, variant: Int8KernelVariant) throws(EngineError) {
        let (weights, bias) = try spec.convolutionConstants()
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        kernel = Int8SpatialConvolution(
            geometry: geometry, weights: weights, bias: bias, relu: spec.node.activation == .relu, variant: variant,
            outputScales: spec.node.byteOutputScales)
        parts = spec.parts(ofBlocks: kernel.blockCount, multiplyAdds: geometry.multiplyAdds)
        scratchCount = (kernel.quantizedBytes + Self.alignment) / MemoryLayout<Float>.stride
        fixedQuantization = spec.node.inputRange.map(Int8InputQuantization.init(range:))
    }

    private static let alignment = 64

    func run(_ context: ExecutionContext) {
        // Floats, or bytes when the kernel writes bytes (`Int8ByteLinks`).
        let output = context.arena + outputOffset
        // The scratch floats hold the padded image as raw bytes only inside this call; no float
        // view of them is used meanwhile, and the next layer writes them before it reads them.
        let quantized = UnsafeMutableRawPointer(context.scratch).alignedUp(toMultipleOf: Self.alignment)
        let quantization = input.withFloats(context) { source in
            let quantization = fixedQuantization ?? kernel.quantization(of: source)
            kernel.quantize(input: source, quantization: quantization, into: quantized)
            return quantization
        }
        guard parts.count > 1, let pool = context.pool else {
            kernel.run(
                quantized: quantized, quantization: quantization, output: output,
                blocks: parts[0].lowerBound..<parts[parts.count - 1].upperBound)
            return
        }
        withUnsafePointer(to: self) { layer in
            var job = SpatialJob(layer: layer, quantized: quantized, quantization: quantization, output: output)
            withUnsafePointer(to: &job) { job in
                pool.run(parts: parts.count, context: UnsafeRawPointer(job)) { raw, part in
                    let job = raw.assumingMemoryBound(to: SpatialJob.self).pointee
                    let layer = job.layer.pointee
                    layer.kernel.run(
                        quantized: job.quantized, quantization: job.quantization, output: job.output,
                        blocks: layer.parts[part])
                }
            }
        }
    }

    var profileDetail: String {
        let g = kernel.geometry
        return
            "int8-\(kernel.variant.rawValue) \(g.inputChannels)->\(g.outputChannels) k\(g.kernelHeight)x\(g.kernelWidth)"
            + (g.strideY > 1 ? " s\(g.strideY)" : "") + (g.dilationY > 1 ? " d\(g.dilationY)" : "")
            + (fixedQuantization != nil ? " fixed input range" : "") + (kernel.writesBytes ? " bytes out" : "")
            + (parts.count > 1 ? " \(parts.count) parts by rows" : "")
    }

    var multiplyAdds: Int { kernel.geometry.multiplyAdds }
}

/// The buffers of one split run, on the caller's stack while the pool runs its parts.
private struct SpatialJob {
    let layer: UnsafePointer<QuantizedSpatialLayer>
    let quantized: UnsafeMutableRawPointer
    let quantization: Int8InputQuantization
    let output: UnsafeMutableRawPointer
}
