import NeuralKernels

/// A Relu whose output only byte-reading depthwise convolutions read (`Int8ByteLinks`): it writes
/// `clamp(round(max(0, x) / step[c]), 0, 255)` per channel c instead of floats. In UltraFace the
/// RFB block ends in an addition and a Relu, whose output three depthwise convolutions read.
struct QuantizingReluLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let planeSize: Int
    /// `1 / step` per channel.
    let inverseSteps: [Float]

    init(_ spec: LayerSpec) throws(EngineError) {
        try spec.requireFloat()
        guard let steps = spec.node.byteOutputScales, spec.outputShape.count == 4, spec.outputShape[0] == 1,
            spec.outputShape[1] == steps.count
        else {
            throw EngineError(.invalidGraph, node: spec.name, "not a Relu the int8 byte chain quantises")
        }
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        planeSize = spec.outputShape[2] * spec.outputShape[3]
        inverseSteps = steps.map { 1 / $0 }
    }

    func run(_ context: ExecutionContext) {
        // The arena holds this value as bytes (`Int8ByteLinks`, `MemoryPlanner`), for this call.
        let output = (context.arena + outputOffset).assumingMemoryBound(to: UInt8.self)
        input.withFloats(context) { x in
            inverseSteps.withUnsafeBufferPointer { inverses in
                Int8DepthwiseConvolution.quantizeReLU(
                    input: x, output: output, planeSize: planeSize, inverseSteps: inverses)
            }
        }
    }

    var profileDetail: String { "to bytes" }
}
