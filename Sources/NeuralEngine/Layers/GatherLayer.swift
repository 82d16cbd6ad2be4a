/// Gather with constant int64 indices: `out[o, j, i] = data[o, indices[j], i]` where `o` runs over
/// the axes before `axis` and `i` over those after it (copied as contiguous byte runs).
struct GatherLayer: Layer {
    let data: Operand
    let outputOffset: Int
    /// Indices already normalised to [0, axis dimension).
    let indices: [Int]
    let outer: Int
    let axisDimension: Int
    let innerBytes: Int

    init(_ spec: LayerSpec, axis: Int) throws(EngineError) {
        let shape = try spec.inputShape(0)
        let normalized = try ShapeMath.axis(axis, rank: shape.count, node: spec.name)
        guard case .constant(let tensor) = try spec.input(1), let raw = tensor.int64s else {
            throw EngineError(.unsupported, node: spec.name, "Gather indices must be an int64 constant")
        }
        let dimension = shape[normalized]
        var indices: [Int] = []
        for value in raw {
            guard value >= -Int64(dimension), value < Int64(dimension) else {
                throw EngineError(
                    .shapeMismatch, node: spec.name, "Gather index \(value) is out of range for dimension \(dimension)")
            }
            indices.append(value < 0 ? Int(value) + dimension : Int(value))
        }
        self.indices = indices
        data = try spec.input(0)
        outputOffset = spec.outputOffset
        outer = shape[..<normalized].reduce(1, *)
        axisDimension = dimension
        innerBytes = shape[(normalized + 1)...].reduce(1, *) * spec.elementType.size
    }

    func run(_ context: ExecutionContext) {
        let output = context.arena + outputOffset
        data.withBytes(context) { source in
            var destination = output
            for o in 0..<outer {
                for index in indices {
                    destination.copyMemory(
                        from: source + (o * axisDimension + index) * innerBytes, byteCount: innerBytes)
                    destination += innerBytes
                }
            }
        }
    }
}
