/// Reshape or Unsqueeze that could not become an alias: a plain copy of the bytes (row-major
/// order is unchanged by both operators).
struct CopyLayer: Layer {
    let input: Operand
    let outputOffset: Int
    let byteCount: Int

    init(_ spec: LayerSpec) throws(EngineError) {
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        byteCount = spec.outputShape.reduce(1, *) * spec.elementType.size
    }

    func run(_ context: ExecutionContext) {
        input.withBytes(context) { source in
            (context.arena + outputOffset).copyMemory(from: source, byteCount: byteCount)
        }
    }
}
