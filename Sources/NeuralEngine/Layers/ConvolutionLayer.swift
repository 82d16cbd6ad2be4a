import Dispatch
import NeuralKernels

/// Conv (NCHW, batch 1) with bias and optional fused ReLU, through `NeuralKernels.Convolution2D`.
///
/// With more than one thread, a large convolution is split into independent parts by blocks of
/// output channels (or of groups, for grouped/depthwise convolutions); each part is its own
/// `Convolution2D` over a contiguous slice of the input, weights and output, run concurrently.
struct ConvolutionLayer: Layer {
    /// One independent slice of the work.
    struct Part: Sendable {
        var kernel: Convolution2D
        /// Byte offsets of the part's input and output from the layer's input and output.
        var inputByteOffset: Int
        var outputByteOffset: Int
        var scratchOffset: Int
    }

    let input: Operand
    let outputOffset: Int
    let parts: [Part]
    let scratchCount: Int

    /// Convolutions with fewer multiply-adds than this run on one thread.
    static let minimumMultiplyAddsToSplit = 1 << 20

    init(_ spec: LayerSpec, attributes: ConvolutionAttributes, fusedRelu: Bool) throws(EngineError) {
        try spec.requireFloat()
        let geometry = try attributes.geometry(
            input: spec.inputShape(0), weight: spec.inputShape(1),
            bias: spec.inputShapes.count > 2 ? spec.inputShapes[2] : nil, node: spec.name)
        let weights = try spec.constantFloats(1)
        let bias: [Float]? = spec.inputs.count > 2 && spec.inputs[2] != nil ? try spec.constantFloats(2) : nil
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        let activation: Activation = fusedRelu ? .relu : .none

        let partCount = geometry.multiplyAdds >= Self.minimumMultiplyAddsToSplit ? min(spec.threads, geometry.groups > 1 ? geometry.groups : geometry.outputChannels) : 1
        var parts: [Part] = []
        var scratch = 0
        if partCount <= 1 {
            let kernel = Convolution2D(geometry: geometry, weights: weights, bias: bias, activation: activation)
            parts.append(Part(kernel: kernel, inputByteOffset: 0, outputByteOffset: 0, scratchOffset: 0))
            scratch = kernel.scratchCount
        } else {
            // Split along groups when grouped, else along output channels (one "group" = all inputs).
            let units = geometry.groups > 1 ? geometry.groups : geometry.outputChannels
            let outputPerUnit = geometry.groups > 1 ? geometry.outputChannelsPerGroup : 1
            let inputPerUnit = geometry.groups > 1 ? geometry.inputChannelsPerGroup : 0
            let weightsPerOutput = geometry.inputChannelsPerGroup * geometry.kernelHeight * geometry.kernelWidth
            let outputPlane = geometry.outputHeight * geometry.outputWidth
            let inputPlane = geometry.inputHeight * geometry.inputWidth
            for part in 0..<partCount {
                let first = units * part / partCount
                let end = units * (part + 1) / partCount
                guard end > first else { continue }
                var sub = geometry
                sub.outputChannels = (end - first) * outputPerUnit
                if geometry.groups > 1 {
                    sub.groups = end - first
                    sub.inputChannels = (end - first) * inputPerUnit
                }
                let firstOutput = first * outputPerUnit
                let partWeights = Array(weights[(firstOutput * weightsPerOutput)..<((firstOutput + sub.outputChannels) * weightsPerOutput)])
                let partBias = bias.map { Array($0[firstOutput..<(firstOutput + sub.outputChannels)]) }
                let kernel = Convolution2D(geometry: sub, weights: partWeights, bias: partBias, activation: activation)
                parts.append(
                    Part(
                        kernel: kernel, inputByteOffset: first * inputPerUnit * inputPlane * 4,
                        outputByteOffset: firstOutput * outputPlane * 4, scratchOffset: scratch))
                scratch += kernel.scratchCount
            }
        }
        self.parts = parts
        self.scratchCount = scratch
    }

    func run(_ context: ExecutionContext) {
        input.withBytes(context) { inputBytes in
            let output = UnsafeMutableRawPointer(context.arena + outputOffset)
            if parts.count == 1 {
                let part = parts[0]
                part.kernel.run(
                    input: inputBytes.assumingMemoryBound(to: Float.self),
                    output: output.assumingMemoryBound(to: Float.self), scratch: context.scratch)
                return
            }
            let pointers = SharedPointers(input: inputBytes, output: output, scratch: context.scratch)
            DispatchQueue.concurrentPerform(iterations: parts.count) { index in
                let part = parts[index]
                part.kernel.run(
                    input: (pointers.input + part.inputByteOffset).assumingMemoryBound(to: Float.self),
                    output: (pointers.output + part.outputByteOffset).assumingMemoryBound(to: Float.self),
                    scratch: pointers.scratch + part.scratchOffset)
            }
        }
    }
}

/// The buffers of one convolution handed to the worker threads.
///
/// `@unchecked Sendable` invariant: `concurrentPerform` returns only after every part finished, so
/// the pointers outlive their use; parts read the shared input and write disjoint output and
/// scratch ranges.
private struct SharedPointers: @unchecked Sendable {
    let input: UnsafeRawPointer
    let output: UnsafeMutableRawPointer
    let scratch: UnsafeMutablePointer<Float>
}
