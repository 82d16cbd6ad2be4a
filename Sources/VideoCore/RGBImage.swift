/// A decoded picture as 8-bit RGB, row-major, 3 bytes per pixel, rows packed without padding.
///
/// `pixels.count == width * height * 3`; byte `(y * width + x) * 3 + c` is channel `c` (R, G, B)
/// of pixel `(x, y)`.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Packed RGB bytes, `width * height * 3` of them.
    public var pixels: [UInt8]

    /// Wraps packed RGB bytes; traps when the byte count does not match the size.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "RGBImage needs a positive size, got \(width)x\(height)")
        precondition(
            pixels.count == width * height * 3,
            "RGBImage \(width)x\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Bytes per row: `width * 3`.
    public var bytesPerRow: Int { width * 3 }
}
