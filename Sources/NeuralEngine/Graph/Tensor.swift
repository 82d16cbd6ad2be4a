/// A dense constant tensor held in memory, row-major (C order).
///
/// Used for weights, constants and the values folded at compile time. Activations at run time live
/// in the session's planned buffers, not in `Tensor`s.
public struct Tensor: Sendable, Equatable {
    /// Element storage. Only the element types the UltraFace graphs use are supported.
    public enum Storage: Sendable, Equatable {
        case float32([Float])
        case int64([Int64])
    }

    /// Dimensions, outermost first. `[]` is a scalar (one element).
    public var shape: [Int]
    public var storage: Storage

    /// Creates a float32 tensor; traps when the element count does not match the shape.
    public init(shape: [Int], floats: [Float]) {
        precondition(
            shape.reduce(1, *) == floats.count,
            "Tensor shape \(shape) needs \(shape.reduce(1, *)) elements, got \(floats.count)")
        self.shape = shape
        self.storage = .float32(floats)
    }

    /// Creates an int64 tensor; traps when the element count does not match the shape.
    public init(shape: [Int], int64s: [Int64]) {
        precondition(
            shape.reduce(1, *) == int64s.count,
            "Tensor shape \(shape) needs \(shape.reduce(1, *)) elements, got \(int64s.count)")
        self.shape = shape
        self.storage = .int64(int64s)
    }

    /// Number of elements: the product of `shape`.
    public var elementCount: Int { shape.reduce(1, *) }

    /// The elements as floats, or nil for int64 tensors.
    public var floats: [Float]? {
        if case .float32(let values) = storage { return values }
        return nil
    }

    /// The elements as int64, or nil for float tensors.
    public var int64s: [Int64]? {
        if case .int64(let values) = storage { return values }
        return nil
    }
}
