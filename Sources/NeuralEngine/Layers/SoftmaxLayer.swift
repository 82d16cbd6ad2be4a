import Foundation

/// Opset-9 Softmax: the input viewed as `[rows, columns]` with `rows = prod(dims[..<axis])`;
/// each row becomes `exp(x - max) / sum(exp(x - max))`.
struct SoftmaxLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let rows: Int
    let columns: Int

    init(_ spec: LayerSpec, axis: Int) throws(EngineError) {
        try spec.requireFloat()
        let shape = try spec.inputShape(0)
        let normalized = try ShapeMath.axis(axis, rank: max(shape.count, 1), node: spec.name)
        rows = shape[..<min(normalized, shape.count)].reduce(1, *)
        columns = shape.count > normalized ? shape[normalized...].reduce(1, *) : 1
        input = try spec.input(0)
        outputOffset = spec.outputOffset
    }

    func run(_ context: ExecutionContext) {
        let output = context.floats(at: outputOffset)
        input.withFloats(context) { x in
            for row in 0..<rows {
                let base = row * columns
                var largest = -Float.infinity
                for i in base..<(base + columns) { largest = max(largest, x[i]) }
                var sum: Float = 0
                for i in base..<(base + columns) {
                    let e = Foundation.exp(x[i] - largest)
                    output[i] = e
                    sum += e
                }
                for i in base..<(base + columns) { output[i] /= sum }
            }
        }
    }
}
