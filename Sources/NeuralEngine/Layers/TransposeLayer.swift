/// Transpose by any permutation: `out[i_0, ..., i_n] = in[j]` with `j[perm[k]] = i_k`.
///
/// Fast path for NCHW -> NHWC (`[0, 2, 3, 1]`, every UltraFace head): per image a 2-D transpose
/// of `[C, H*W]` into `[H*W, C]`. Otherwise an odometer over the output axes.
struct TransposeLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let outputShape: [Int]
    /// For each output axis, the input stride (elements) of the axis it comes from.
    let sourceStrides: [Int]
    let elementSize: Int
    let isNCHWToNHWC: Bool
    let inputShape: [Int]

    init(_ spec: LayerSpec, permutation: [Int]) throws(EngineError) {
        let shape = try spec.inputShape(0)
        let perm = permutation.isEmpty ? Array(shape.indices.reversed()) : permutation
        let strides = ShapeMath.strides(shape)
        sourceStrides = perm.map { strides[$0] }
        outputShape = perm.map { shape[$0] }
        inputShape = shape
        elementSize = spec.elementType.size
        isNCHWToNHWC = perm == [0, 2, 3, 1]
        input = try spec.input(0)
        outputOffset = spec.outputOffset
    }

    func run(_ context: ExecutionContext) {
        switch elementSize {
        case 4: run(Float.self, context)
        default: run(Int64.self, context)
        }
    }

    private func run<T>(_ type: T.Type, _ context: ExecutionContext) {
        let output = (context.arena + outputOffset).assumingMemoryBound(to: T.self)
        input.withBytes(context) { raw in
            let source = raw.assumingMemoryBound(to: T.self)
            if isNCHWToNHWC {
                let channels = inputShape[1]
                let plane = inputShape[2] * inputShape[3]
                for n in 0..<inputShape[0] {
                    let from = source + n * channels * plane
                    let to = output + n * channels * plane
                    for c in 0..<channels {
                        for p in 0..<plane { to[p * channels + c] = from[c * plane + p] }
                    }
                }
                return
            }
            general(source, output)
        }
    }

    private func general<T>(_ source: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>) {
        let rank = outputShape.count
        let count = outputShape.reduce(1, *)
        guard rank > 0 else {
            output[0] = source[0]
            return
        }
        let inner = outputShape[rank - 1]
        let innerStride = sourceStrides[rank - 1]
        withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { counters in
            counters.initialize(repeating: 0)
            var base = 0
            var o = 0
            while o < count {
                var s = base
                for _ in 0..<inner {
                    output[o] = source[s]
                    o += 1
                    s += innerStride
                }
                var axis = rank - 2
                while axis >= 0 {
                    counters[axis] += 1
                    base += sourceStrides[axis]
                    if counters[axis] < outputShape[axis] { break }
                    base -= sourceStrides[axis] * outputShape[axis]
                    counters[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
