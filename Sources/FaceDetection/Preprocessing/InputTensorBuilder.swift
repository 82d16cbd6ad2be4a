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
    /// For 4:2:0 pictures: the pixels the resize reads, and the compact RGB picture of them.
    private var sampled: SampledResize?
    private var compact: RGBImage?

    /// `(v - 127) / 128` for every byte value.
    private static let normalized: [Float] = (0..<256).map { (Float($0) - 127) / 128 }

    /// The range every value of the tensor lies in: byte 0 to byte 255 normalised, -127/128...1.
    /// (An int8 stem quantising over it gets each byte back exactly: one step is 1/128.)
    public static let valueRange: ClosedRange<Float> = (0 - 127) / 128...(255 - 127) / 128

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
        write(tensor, resizing: image, with: resizer!)
    }

    /// Writes the tensor for a 4:2:0 picture, converting to RGB only the pixels the resize reads
    /// (same values as converting the whole picture first: `YUV420Picture` is exact).
    public mutating func fill(_ tensor: UnsafeMutableBufferPointer<Float>, from picture: YUV420Picture) {
        precondition(tensor.count == elementCount, "input tensor needs \(elementCount) floats, has \(tensor.count)")
        if sampled?.sourceWidth != picture.width || sampled?.sourceHeight != picture.height {
            sampled = Self.plan(picture.width, picture.height, to: width, height)
        }
        let plan = sampled!
        if compact?.width != plan.columns.count || compact?.height != plan.rows.count {
            compact = RGBImage(
                width: plan.columns.count, height: plan.rows.count,
                pixels: [UInt8](repeating: 0, count: plan.columns.count * plan.rows.count * 3))
        }
        var samples = compact.take()!
        samples.pixels.withUnsafeMutableBufferPointer {
            picture.sampleRGB(rows: plan.rows, columns: plan.columns, into: $0)
        }
        write(tensor, resizing: samples, with: plan.resizer)
        compact = samples
    }

    /// Writes the tensor from the sampled pixels of a picture; the grid must be the one
    /// `InputResizeSampler` gives for the picture's size (traps otherwise: a source set up for another input size).
    /// Same values as `fill(_:from:)` on the whole picture.
    public mutating func fill(_ tensor: UnsafeMutableBufferPointer<Float>, from picture: SampledPicture) {
        precondition(tensor.count == elementCount, "input tensor needs \(elementCount) floats, has \(tensor.count)")
        if picture.isReduced {
            // Already resized by the source (`InputResizeSampler` with its reduction): only the normalisation is left.
            precondition(
                picture.pixels.width == width && picture.pixels.height == height,
                "reduced picture of \(picture.pixels.width)x\(picture.pixels.height) for a \(width)x\(height) input")
            let rowBytes = width * 3
            Self.normalized.withUnsafeBufferPointer { table in
                picture.pixels.pixels.withUnsafeBufferPointer { bytes in
                    for row in 0..<height {
                        let bytes = UnsafeBufferPointer(rebasing: bytes[(row * rowBytes)..<((row + 1) * rowBytes)])
                        Self.writeRow(row, bytes, width: width, height: height, into: tensor, table: table)
                    }
                }
            }
            return
        }
        let grid = picture.grid
        if sampled?.sourceWidth != grid.width || sampled?.sourceHeight != grid.height {
            sampled = Self.plan(grid.width, grid.height, to: width, height)
            compact = nil
        }
        let plan = sampled!
        precondition(
            grid.rows == plan.rows && grid.columns == plan.columns,
            "sampled picture of \(grid.width)x\(grid.height) was not sampled for a \(width)x\(height) input")
        write(tensor, resizing: picture.pixels, with: plan.resizer)
    }

    /// The resize of a `sourceWidth x sourceHeight` picture to the network input, restricted to
    /// the pixels it reads (the one plan every sampled path shares).
    static func plan(_ sourceWidth: Int, _ sourceHeight: Int, to width: Int, _ height: Int) -> SampledResize {
        SampledResize(
            LinearResizer(
                sourceWidth: sourceWidth, sourceHeight: sourceHeight, targetWidth: width, targetHeight: height))
    }

    /// Resizes `image` with `resizer` and writes the normalised planes.
    private mutating func write(
        _ tensor: UnsafeMutableBufferPointer<Float>, resizing image: RGBImage, with resizer: LinearResizer
    ) {
        let (width, height) = (self.width, self.height)
        Self.normalized.withUnsafeBufferPointer { table in
            resizer.resizeRows(of: image, scratch: &scratch) { row, bytes in
                Self.writeRow(row, bytes, width: width, height: height, into: tensor, table: table)
            }
        }
    }

    /// Writes packed RGB `bytes` (`width * 3`) as row `row` of the three normalised `width x height`
    /// planes of `tensor`, through `table` (`normalized`).
    @inline(__always)
    private static func writeRow(
        _ row: Int, _ bytes: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
        into tensor: UnsafeMutableBufferPointer<Float>, table: UnsafeBufferPointer<Float>
    ) {
        let plane = width * height
        let red = tensor.baseAddress! + row * width
        let green = red + plane
        let blue = green + plane
        for x in 0..<width {
            red[x] = table[Int(bytes[x * 3])]
            green[x] = table[Int(bytes[x * 3 + 1])]
            blue[x] = table[Int(bytes[x * 3 + 2])]
        }
    }
}
