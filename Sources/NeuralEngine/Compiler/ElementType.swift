/// Element type of a value during compilation. Run-time values are always float32; int64 values
/// (shapes, indices) must be folded to constants.
enum ElementType: Sendable, Equatable {
    case float32
    case int64

    /// Bytes per element.
    var size: Int {
        switch self {
        case .float32: 4
        case .int64: 8
        }
    }
}

extension Tensor {
    var elementType: ElementType {
        switch storage {
        case .float32: .float32
        case .int64: .int64
        }
    }
}
