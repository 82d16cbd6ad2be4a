/// Opset-9 Softmax: the input viewed as `[rows, columns]` with `rows = prod(dims[..<axis])`;
/// each row becomes `exp(x - max) / sum(exp(x - max))`, with `VectorExp`. Two columns (the
/// face/background scores of every prior) take a path that handles eight rows per step.
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
            var first = 0
            if columns == 2 {
                first = rows / 8 * 8
                pairs(x, output, rows: first)
            }
            for row in first..<rows {
                let base = row * columns
                var largest = -Float.infinity
                for i in base..<(base + columns) { largest = max(largest, x[i]) }
                for i in base..<(base + columns) { output[i] = x[i] - largest }
                VectorExp.apply(output + base, output + base, count: columns)
                var sum: Float = 0
                for i in base..<(base + columns) { sum += output[i] }
                for i in base..<(base + columns) { output[i] /= sum }
            }
        }
    }

    /// Rows `0..<rows` (a multiple of 8) of a two-column input, eight rows per step: the 16
    /// floats are split into first and second columns, and each gets `e^(v - max) / sum`.
    private func pairs(_ x: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, rows: Int) {
        var row = 0
        while row < rows {
            let v = UnsafeRawPointer(x + 2 * row).loadUnaligned(as: SIMD16<Float>.self)
            let a = v.evenHalf
            let b = v.oddHalf
            let largest = a.replacing(with: b, where: b .> a)
            let ea = VectorExp.exp(a - largest)
            let eb = VectorExp.exp(b - largest)
            let sum = ea + eb
            var result = SIMD16<Float>()
            result.evenHalf = ea / sum
            result.oddHalf = eb / sum
            UnsafeMutableRawPointer(output + 2 * row).storeBytes(of: result, as: SIMD16<Float>.self)
            row += 8
        }
    }
}
