/// One executable step of a compiled model: an operator bound to fixed shapes and to fixed places
/// in the session's arena (or to constants it holds).
///
/// Layers are immutable and shared by all sessions of a model; everything mutable is in the
/// `ExecutionContext` a session passes in. `run` must not allocate.
protocol Layer: Sendable {
    /// Floats of scratch memory one run needs.
    var scratchCount: Int { get }
    /// Reads the inputs and overwrites the output in `context`.
    func run(_ context: ExecutionContext)
    /// Kernel and shape details for profiles ("" when the operator and output shape say it all).
    var profileDetail: String { get }
    /// Multiply-adds per run, for the profile's rate column (0 for data movement).
    var multiplyAdds: Int { get }
}

extension Layer {
    var scratchCount: Int { 0 }
    var profileDetail: String { "" }
    var multiplyAdds: Int { 0 }
}

/// The per-session memory a layer runs on.
struct ExecutionContext {
    /// Start of the arena; layers address values by byte offset from here. 64-byte aligned.
    var arena: UnsafeMutableRawPointer
    /// `scratchCount` floats or more for the running layer.
    var scratch: UnsafeMutablePointer<Float>
    /// The session's worker threads, nil when it runs on the calling thread only.
    var pool: WorkerPool? = nil

    func floats(at byteOffset: Int) -> UnsafeMutablePointer<Float> {
        (arena + byteOffset).assumingMemoryBound(to: Float.self)
    }
}

/// Where a layer reads an input: a place in the arena or a constant it holds.
enum Operand: Sendable {
    case arena(byteOffset: Int)
    case constant(Tensor)

    /// Calls `body` with the input's first byte (valid for the duration of the call).
    func withBytes<R>(_ context: ExecutionContext, _ body: (UnsafeRawPointer) -> R) -> R {
        switch self {
        case .arena(let offset):
            return body(UnsafeRawPointer(context.arena + offset))
        case .constant(let tensor):
            switch tensor.storage {
            case .float32(let values):
                return values.withUnsafeBytes { body($0.baseAddress ?? UnsafeRawPointer(context.arena)) }
            case .int64(let values):
                return values.withUnsafeBytes { body($0.baseAddress ?? UnsafeRawPointer(context.arena)) }
            }
        }
    }

    /// Calls `body` with the input as floats (the layer factory checked the element type).
    func withFloats<R>(_ context: ExecutionContext, _ body: (UnsafePointer<Float>) -> R) -> R {
        withBytes(context) { body($0.assumingMemoryBound(to: Float.self)) }
    }
}

/// Everything a layer factory needs to bind one node: operands, shapes and output place.
struct LayerSpec {
    var node: CompilationState.Node
    /// One per node input; nil for an omitted optional input.
    var inputs: [Operand?]
    var inputShapes: [[Int]?]
    var outputShape: [Int]
    var outputOffset: Int
    /// Element type of the data being moved (int64 only while folding constants).
    var elementType: ElementType
    /// Kernel threads the layer may use.
    var threads: Int
    /// The compile options' precision (layers with an int8 kernel use it when it says int8).
    var precision: Precision = .float32

    var name: String { node.name }

    /// Required input `index`.
    func input(_ index: Int) throws(EngineError) -> Operand {
        guard index < inputs.count, let operand = inputs[index] else {
            throw EngineError(.invalidGraph, node: node.name, "missing required input \(index)")
        }
        return operand
    }

    func inputShape(_ index: Int) throws(EngineError) -> [Int] {
        guard index < inputShapes.count, let shape = inputShapes[index] else {
            throw EngineError(.invalidGraph, node: node.name, "missing required input \(index)")
        }
        return shape
    }

    /// The float values of constant input `index`; throws when it is computed at run time.
    func constantFloats(_ index: Int) throws(EngineError) -> [Float] {
        guard case .constant(let tensor) = try input(index), let values = tensor.floats else {
            throw EngineError(.unsupported, node: node.name, "input \(index) must be a float32 constant")
        }
        return values
    }

    /// Throws unless the data is float32 (arithmetic layers).
    func requireFloat() throws(EngineError) {
        guard elementType == .float32 else {
            throw EngineError(.unsupported, node: node.name, "arithmetic on int64 values is not supported")
        }
    }
}
