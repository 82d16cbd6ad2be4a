/// Evaluates one node on constant inputs at compile time, with the same layers the runtime uses
/// (all inputs bound as constants, the output written into a temporary arena).
enum ConstantEvaluator {
    static func evaluate(
        _ node: CompilationState.Node, inputs: [Tensor?], inputShapes: [[Int]?], outputShape: [Int],
        outputType: ElementType, outputCount: Int
    ) throws(EngineError) -> Tensor {
        switch node.operation {
        case .constant(let tensor):
            return tensor
        case .shape:
            return Tensor(shape: outputShape, int64s: (inputShapes.first ?? nil)?.map { Int64($0) } ?? [])
        default:
            break
        }
        let spec = LayerSpec(
            node: node, inputs: inputs.map { $0.map { Operand.constant($0) } }, inputShapes: inputShapes,
            outputShape: outputShape, outputOffset: 0, elementType: (inputs.first ?? nil)?.elementType ?? outputType,
            threads: 1)
        let layer = try LayerFactory.make(spec)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(layer.scratchCount, 1))
        defer { scratch.deallocate() }
        switch outputType {
        case .float32:
            var values = [Float](repeating: 0, count: outputCount)
            values.withUnsafeMutableBytes { bytes in
                layer.run(
                    ExecutionContext(arena: bytes.baseAddress ?? UnsafeMutableRawPointer(scratch), scratch: scratch))
            }
            return Tensor(shape: outputShape, floats: values)
        case .int64:
            var values = [Int64](repeating: 0, count: outputCount)
            values.withUnsafeMutableBytes { bytes in
                layer.run(
                    ExecutionContext(arena: bytes.baseAddress ?? UnsafeMutableRawPointer(scratch), scratch: scratch))
            }
            return Tensor(shape: outputShape, int64s: values)
        }
    }
}
