/// A network input size in pixels.
public struct NetworkSize: Hashable, Sendable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// The size `width x height`.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
