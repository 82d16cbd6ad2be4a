/// BatchNormalization (inference) left unfolded: `y = x * scale[c] + shift[c]` per channel, with
/// `scale = gamma / sqrt(var + eps)` and `shift = beta - mean * scale` computed once in Double.
struct BatchNormalizationLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let scale: [Float]
    let shift: [Float]
    /// Elements per channel plane and number of outer (batch) blocks.
    let plane: Int
    let batches: Int

    init(_ spec: LayerSpec, epsilon: Float) throws(EngineError) {
        try spec.requireFloat()
        let shape = try spec.inputShape(0)
        let gamma = try spec.constantFloats(1)
        let beta = try spec.constantFloats(2)
        let mean = try spec.constantFloats(3)
        let variance = try spec.constantFloats(4)
        let channels = shape[1]
        var scale = [Float](repeating: 0, count: channels)
        var shift = scale
        for c in 0..<channels {
            let s = Double(gamma[c]) / (Double(variance[c]) + Double(epsilon)).squareRoot()
            scale[c] = Float(s)
            shift[c] = Float(Double(beta[c]) - Double(mean[c]) * s)
        }
        self.scale = scale
        self.shift = shift
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        plane = shape[2...].reduce(1, *)
        batches = shape[0]
    }

    func run(_ context: ExecutionContext) {
        let output = context.floats(at: outputOffset)
        let channels = scale.count
        input.withFloats(context) { x in
            for n in 0..<batches {
                for c in 0..<channels {
                    let base = (n * channels + c) * plane
                    let s = scale[c]
                    let t = shift[c]
                    for i in base..<(base + plane) { output[i] = x[i] * s + t }
                }
            }
        }
    }
}
