/// Element-wise Relu (`max(0, x)`) or Exp (`e^x`, with `VectorExp`), same shape in and out.
struct UnaryLayer: Layer {
    enum Function: Sendable { case relu, exp }

    let function: Function
    let input: Operand
    let outputOffset: Int
    let count: Int

    init(_ spec: LayerSpec, function: Function) throws(EngineError) {
        try spec.requireFloat()
        self.function = function
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        count = spec.outputShape.reduce(1, *)
    }

    func run(_ context: ExecutionContext) {
        let output = context.floats(at: outputOffset)
        input.withFloats(context) { x in
            switch function {
            case .relu:
                for i in 0..<count { output[i] = max(0, x[i]) }
            case .exp:
                VectorExp.apply(x, output, count: count)
            }
        }
    }
}
