/// Add, Sub, Mul, Div with numpy broadcasting.
///
/// Index layout: the output is walked in row-major order; each operand has a stride per output
/// axis that is 0 where it is broadcast. Fast paths: equal shapes, and a one-element operand.
struct BinaryLayer: Layer {
    enum Function: Sendable { case add, sub, mul, div }

    let function: Function
    let a: Operand
    let b: Operand
    let outputOffset: Int
    let outputShape: [Int]
    let count: Int
    let aCount: Int
    let bCount: Int
    /// Per output axis, the operands' element strides (0 on broadcast axes).
    let aStrides: [Int]
    let bStrides: [Int]

    init(_ spec: LayerSpec, function: Function) throws(EngineError) {
        try spec.requireFloat()
        self.function = function
        a = try spec.input(0)
        b = try spec.input(1)
        outputOffset = spec.outputOffset
        outputShape = spec.outputShape
        count = spec.outputShape.reduce(1, *)
        let aShape = try spec.inputShape(0)
        let bShape = try spec.inputShape(1)
        aCount = aShape.reduce(1, *)
        bCount = bShape.reduce(1, *)
        aStrides = Self.broadcastStrides(aShape, rank: outputShape.count)
        bStrides = Self.broadcastStrides(bShape, rank: outputShape.count)
    }

    /// Strides of `shape` right-aligned to `rank` output axes, 0 where the dimension is 1.
    static func broadcastStrides(_ shape: [Int], rank: Int) -> [Int] {
        let own = ShapeMath.strides(shape)
        return (0..<rank).map { axis in
            let index = axis - (rank - shape.count)
            return index < 0 || shape[index] == 1 ? 0 : own[index]
        }
    }

    @inline(__always) private func apply(_ x: Float, _ y: Float) -> Float {
        switch function {
        case .add: x + y
        case .sub: x - y
        case .mul: x * y
        case .div: x / y
        }
    }

    func run(_ context: ExecutionContext) {
        let output = context.floats(at: outputOffset)
        a.withFloats(context) { x in
            b.withFloats(context) { y in
                if aCount == count && bCount == count {
                    // One loop per function so each vectorizes.
                    switch function {
                    case .add: for i in 0..<count { output[i] = x[i] + y[i] }
                    case .sub: for i in 0..<count { output[i] = x[i] - y[i] }
                    case .mul: for i in 0..<count { output[i] = x[i] * y[i] }
                    case .div: for i in 0..<count { output[i] = x[i] / y[i] }
                    }
                } else if bCount == 1 && aCount == count {
                    let scalar = y[0]
                    switch function {
                    case .add: for i in 0..<count { output[i] = x[i] + scalar }
                    case .sub: for i in 0..<count { output[i] = x[i] - scalar }
                    case .mul: for i in 0..<count { output[i] = x[i] * scalar }
                    case .div: for i in 0..<count { output[i] = x[i] / scalar }
                    }
                } else if aCount == 1 && bCount == count {
                    let scalar = x[0]
                    for i in 0..<count { output[i] = apply(scalar, y[i]) }
                } else {
                    general(x, y, output)
                }
            }
        }
    }

    /// Odometer over all output axes but the last; the last axis is the inner loop.
    private func general(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        let rank = outputShape.count
        guard rank > 0 else {
            output[0] = apply(x[0], y[0])
            return
        }
        let inner = outputShape[rank - 1]
        let aInner = aStrides[rank - 1]
        let bInner = bStrides[rank - 1]
        withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { counters in
            counters.initialize(repeating: 0)
            var ai = 0
            var bi = 0
            var o = 0
            while o < count {
                var ao = ai
                var bo = bi
                for _ in 0..<inner {
                    output[o] = apply(x[ao], y[bo])
                    o += 1
                    ao += aInner
                    bo += bInner
                }
                // Advance the odometer over axes rank-2 ... 0.
                var axis = rank - 2
                while axis >= 0 {
                    counters[axis] += 1
                    ai += aStrides[axis]
                    bi += bStrides[axis]
                    if counters[axis] < outputShape[axis] { break }
                    ai -= aStrides[axis] * outputShape[axis]
                    bi -= bStrides[axis] * outputShape[axis]
                    counters[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
