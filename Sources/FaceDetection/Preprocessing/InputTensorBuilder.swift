import VideoCore

/// Turns an RGB picture into the UltraFace input tensor, exactly as the reference pipeline does:
/// OpenCV `INTER_LINEAR` resize of the whole picture to `width x height` (aspect ratio not kept),
/// then `(value - 127) / 128` per channel (exact in float32), laid out NCHW with channels R, G, B.
///
/// Keeps the resize taps for the last source size and its scratch rows, so a stream of same-sized
/// frames costs no allocation with `fill(_:from:)`. Not thread-safe: one builder per worker.
public struct InputTensorBuilder: Sendable {
    /// Network input width in pixels.
    public let width: Int
    /// Network input height in pixels.
    public let height: Int

    private var resizer: LinearResizer?
    private var scratch = LinearResizeScratch()

    /// `(v - 127) / 128` for every byte value.
    private static let normalized: [Float] = (0..<256).map { (Float($0) - 127) / 128 }

    /// A builder for a `width x height` network input.
    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "network input needs a positive size, got \(width)x\(height)")
        self.width = width
        self.height = height
    }

    /// Number of floats in the tensor: `3 * height * width`.
    public var elementCount: Int { 3 * width * height }

    /// Returns the `[1, 3, height, width]` tensor for `image`.
    public mutating func makeTensor(from image: RGBImage) -> [Float] {
        var tensor = [Float](repeating: 0, count: elementCount)
        fill(&tensor, from: image)
        return tensor
    }

    /// Writes the tensor for `image` into `tensor`, which must hold `elementCount` floats.
    public mutating func fill(_ tensor: inout [Float], from image: RGBImage) {
        tensor.withUnsafeMutableBufferPointer { fill($0, from: image) }
    }

    /// Writes the tensor for `image` into caller-owned memory of `elementCount` floats (for example an
    /// inference session's input, avoiding a copy).
    public mutating func fill(_ tensor: UnsafeMutableBufferPointer<Float>, from image: RGBImage) {
        precondition(tensor.count == elementCount, "input tensor needs \(elementCount) floats, has \(tensor.count)")
        if resizer?.sourceWidth != image.width || resizer?.sourceHeight != image.height {
            resizer = LinearResizer(
                sourceWidth: image.width, sourceHeight: image.height, targetWidth: width, targetHeight: height)
        }
        let plane = width * height
        let width = self.width
        let red = tensor.baseAddress!
        let green = red + plane
        let blue = green + plane
        Self.normalized.withUnsafeBufferPointer { table in
            resizer!.resizeRows(of: image, scratch: &scratch) { row, bytes in
                let offset = row * width
                for x in 0..<width {
                    red[offset + x] = table[Int(bytes[x * 3])]
                    green[offset + x] = table[Int(bytes[x * 3 + 1])]
                    blue[offset + x] = table[Int(bytes[x * 3 + 2])]
                }
            }
        }
    }
}
