/// Concat along one axis: for each outer index (axes before `axis`), the inputs' contiguous
/// chunks are copied one after another. Works on raw bytes, so it also folds int64 shape values.
struct ConcatLayer: Layer {
    let inputs: [Operand]
    /// Bytes each input contributes per outer index.
    let chunkBytes: [Int]
    let outputOffset: Int
    let outer: Int

    init(_ spec: LayerSpec, axis: Int) throws(EngineError) {
        let shape = spec.outputShape
        let normalized = try ShapeMath.axis(axis, rank: shape.count, node: spec.name)
        var inputs: [Operand] = []
        var chunks: [Int] = []
        for index in spec.inputs.indices {
            inputs.append(try spec.input(index))
            chunks.append(try spec.inputShape(index)[normalized...].reduce(1, *) * spec.elementType.size)
        }
        self.inputs = inputs
        chunkBytes = chunks
        outputOffset = spec.outputOffset
        outer = shape[..<normalized].reduce(1, *)
    }

    func run(_ context: ExecutionContext) {
        let output = context.arena + outputOffset
        let total = chunkBytes.reduce(0, +)
        var start = 0
        for (index, input) in inputs.enumerated() {
            let chunk = chunkBytes[index]
            input.withBytes(context) { source in
                if chunk == 8 {
                    // Pairs of floats (scores, box halves): one 8-byte move each, no library call.
                    var to = output + start
                    for o in 0..<outer {
                        to.storeBytes(of: source.loadUnaligned(fromByteOffset: o * 8, as: UInt64.self), as: UInt64.self)
                        to += total
                    }
                } else {
                    for o in 0..<outer {
                        (output + o * total + start).copyMemory(from: source + o * chunk, byteCount: chunk)
                    }
                }
            }
            start += chunk
        }
    }
}
