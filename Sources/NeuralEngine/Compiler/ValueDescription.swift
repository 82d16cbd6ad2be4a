/// A model input or output as the caller sees it: name and static shape (float32 elements).
public struct ValueDescription: Sendable, Equatable {
    public var name: String
    /// Dimensions, outermost first, all known after compilation.
    public var shape: [Int]
    /// Number of float elements: the product of `shape`.
    public var elementCount: Int { shape.reduce(1, *) }

    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }
}
