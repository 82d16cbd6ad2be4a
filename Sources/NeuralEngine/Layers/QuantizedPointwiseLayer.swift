import NeuralKernels

/// A 1x1 convolution run in 8-bit integers (`Precision.int8`) through
/// `NeuralKernels.Int8PointwiseConvolution`: the input's range is found on the calling thread,
/// then the pixel blocks are split across the session's workers, each quantising the tiles it
/// computes into its own slice of scratch.
///
/// Only the convolutions `Int8Placement` marks are quantised: those with a fused ReLU and those
/// read only by other convolutions, additions and concatenations (the body of the network); the
/// score and box heads stay in float32, where the small offsets the decoder turns into box
/// corners keep their precision.
struct QuantizedPointwiseLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let kernel: Int8PointwiseConvolution
    let geometry: ConvolutionGeometry
    /// 16-pixel blocks of each part; one part runs on the calling thread.
    let parts: [Range<Int>]
    let scratchCount: Int
    /// The step of the input's bytes when an int8 layer before writes them (`Int8ByteLinks`); nil
    /// when the input is floats, quantised at each run.
    let inputStep: Float?
    /// The float input's quantisation when its range is known in advance (`Node.inputRange`);
    /// nil when each run finds it.
    let fixedQuantization: Int8InputQuantization?

    /// The layer for `spec` when the precision is int8, the CPU has int8 kernels and the node is
    /// a 1x1, stride 1, unpadded, ungrouped convolution that `Int8Placement` marked; nil otherwise.
    static func make(_ spec: LayerSpec, attributes: ConvolutionAttributes) throws(EngineError) -> Self? {
        guard let (geometry, variant) = try spec.int8Convolution(attributes) else { return nil }
        // Below 16 output channels the range scan and the quantising cost what the integer
        // multiply-adds save (64->8 at 30x40: 0.0125 ms either way), so those stay float32.
        guard accepts(geometry) else { return nil }
        return try Self(spec, geometry: geometry, variant: variant)
    }

    /// True for the convolutions this layer runs (given that `Int8Placement` marked them).
    static func accepts(_ geometry: ConvolutionGeometry) -> Bool {
        geometry.outputChannels >= Self.minimumOutputChannels && geometry.kernelHeight == 1
            && geometry.kernelWidth == 1 && geometry.strideY == 1 && geometry.strideX == 1 && geometry.padTop == 0
            && geometry.padLeft == 0 && geometry.padBottom == 0 && geometry.padRight == 0 && geometry.groups == 1
    }

    private init(_ spec: LayerSpec, geometry: ConvolutionGeometry, variant: Int8KernelVariant) throws(EngineError) {
        let (weights, bias) = try spec.convolutionConstants()
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        inputStep = spec.node.byteInputScales?.first
        fixedQuantization = spec.node.inputRange.map(Int8InputQuantization.init(range:))
        self.geometry = geometry
        kernel = Int8PointwiseConvolution(
            inputChannels: geometry.inputChannels, outputChannels: geometry.outputChannels,
            pixels: geometry.inputHeight * geometry.inputWidth, weights: weights, bias: bias,
            relu: spec.node.activation == .relu,
            variant: variant, outputScales: spec.node.byteOutputScales)
        parts = spec.parts(ofBlocks: kernel.blockCount, multiplyAdds: geometry.multiplyAdds)
        // One tile per part, plus room to align the first to 64 bytes.
        scratchCount = (parts.count * kernel.tileBytes + Self.tileAlignment) / MemoryLayout<Float>.stride
    }

    private static let tileAlignment = 64
    static let minimumOutputChannels = 16

    func run(_ context: ExecutionContext) {
        // Floats, or bytes when the kernel writes bytes (`Int8ByteLinks`).
        let output = context.arena + outputOffset
        // The scratch floats are used as raw bytes only inside this call; no float view of them is
        // used meanwhile, and the next layer writes them before it reads them.
        let raw = UnsafeMutableRawPointer(context.scratch)
        let tiles = raw.alignedUp(toMultipleOf: Self.tileAlignment)
        if let inputStep {
            runOnBytes(context, step: inputStep, tiles: tiles, output: output)
            return
        }
        input.withFloats(context) { source in
            let quantization = fixedQuantization ?? kernel.quantization(of: source)
            guard parts.count > 1, let pool = context.pool else {
                kernel.run(
                    input: source, quantization: quantization, tile: tiles, output: output,
                    blocks: parts[0].lowerBound..<parts[parts.count - 1].upperBound)
                return
            }
            withUnsafePointer(to: self) { layer in
                var job = QuantizedJob(
                    layer: layer, input: source, quantization: quantization, tiles: tiles, output: output)
                withUnsafePointer(to: &job) { job in
                    pool.run(parts: parts.count, context: UnsafeRawPointer(job)) { raw, part in
                        let job = raw.assumingMemoryBound(to: QuantizedJob.self).pointee
                        let layer = job.layer.pointee
                        layer.kernel.run(
                            input: job.input, quantization: job.quantization,
                            tile: job.tiles + part * layer.kernel.tileBytes, output: job.output,
                            blocks: layer.parts[part])
                    }
                }
            }
        }
    }

    /// `run` when the input is bytes: no range scan; each part packs its tiles from the bytes.
    private func runOnBytes(
        _ context: ExecutionContext, step: Float, tiles: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer
    ) {
        input.withBytes(context) { raw in
            // The arena holds this value as bytes (`Int8ByteLinks`, `MemoryPlanner`), for this call.
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            guard parts.count > 1, let pool = context.pool else {
                kernel.run(
                    inputBytes: bytes, step: step, tile: tiles, output: output,
                    blocks: parts[0].lowerBound..<parts[parts.count - 1].upperBound)
                return
            }
            withUnsafePointer(to: self) { layer in
                var job = ByteInputJob(layer: layer, input: bytes, step: step, tiles: tiles, output: output)
                withUnsafePointer(to: &job) { job in
                    pool.run(parts: parts.count, context: UnsafeRawPointer(job)) { raw, part in
                        let job = raw.assumingMemoryBound(to: ByteInputJob.self).pointee
                        let layer = job.layer.pointee
                        layer.kernel.run(
                            inputBytes: job.input, step: job.step, tile: job.tiles + part * layer.kernel.tileBytes,
                            output: job.output, blocks: layer.parts[part])
                    }
                }
            }
        }
    }

    var profileDetail: String {
        "int8-\(kernel.variant.rawValue) \(geometry.inputChannels)->\(geometry.outputChannels) k1x1"
            + (inputStep != nil ? " bytes in" : "") + (fixedQuantization != nil ? " fixed input range" : "")
            + (kernel.writesBytes ? " bytes out" : "") + (parts.count > 1 ? " \(parts.count) parts by pixels" : "")
    }

    var multiplyAdds: Int { geometry.multiplyAdds }
}

/// The buffers of one split run on bytes, on the caller's stack while the pool runs its parts.
private struct ByteInputJob {
    let layer: UnsafePointer<QuantizedPointwiseLayer>
    let input: UnsafePointer<UInt8>
    let step: Float
    /// `parts.count` tiles of `kernel.tileBytes`, one per part.
    let tiles: UnsafeMutableRawPointer
    let output: UnsafeMutableRawPointer
}

/// The buffers of one split run, on the caller's stack while the pool runs its parts.
private struct QuantizedJob {
    let layer: UnsafePointer<QuantizedPointwiseLayer>
    let input: UnsafePointer<Float>
    let quantization: Int8InputQuantization
    /// `parts.count` tiles of `kernel.tileBytes`, one per part.
    let tiles: UnsafeMutableRawPointer
    let output: UnsafeMutableRawPointer
}
