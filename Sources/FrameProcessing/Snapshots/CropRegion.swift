import VideoCore

/// The pixels of a face's snapshot: its box widened by a margin on each side, clipped to the
/// picture. Columns `x0..<x1`, rows `y0..<y1` of the whole picture.
public struct CropRegion: Sendable, Equatable {
    public let x0: Int
    public let y0: Int
    public let x1: Int
    public let y1: Int

    /// Columns `x0..<x1` and rows `y0..<y1`; traps on an empty or reversed region.
    public init(x0: Int, y0: Int, x1: Int, y1: Int) {
        precondition(x0 >= 0 && y0 >= 0 && x1 > x0 && y1 > y0, "CropRegion \(x0),\(y0)..<\(x1),\(y1) is empty")
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    /// Width in pixels.
    public var width: Int { x1 - x0 }
    /// Height in pixels.
    public var height: Int { y1 - y0 }

    /// The region of `box` widened by `margin` times its width (left and right) and height (top
    /// and bottom): from `floor(x1 - margin * w)` to `ceil(x2 + margin * w)` (rows likewise),
    /// clipped to a `width` x `height` picture; nil when nothing of it is inside the picture.
    public static func around(_ box: BoundingBox, margin: Float, width: Int, height: Int) -> CropRegion? {
        let dx = margin * box.width
        let dy = margin * box.height
        guard box.x1.isFinite, box.y1.isFinite, box.x2.isFinite, box.y2.isFinite else { return nil }
        let x0 = max(0, pixel((box.x1 - dx).rounded(.down)))
        let y0 = max(0, pixel((box.y1 - dy).rounded(.down)))
        let x1 = min(width, pixel((box.x2 + dx).rounded(.up)))
        let y1 = min(height, pixel((box.y2 + dy).rounded(.up)))
        return x1 > x0 && y1 > y0 ? CropRegion(x0: x0, y0: y0, x1: x1, y1: y1) : nil
    }

    /// A whole coordinate as an `Int`, held within ±2^30 (no picture is that large).
    private static func pixel(_ value: Float) -> Int {
        Int(min(max(value, -0x4000_0000), 0x4000_0000))
    }

    /// The region's RGB pixels copied out of `pixels` (4:2:0 planes are converted with the
    /// stream's exact arithmetic), scaled down by nearest sample when a side exceeds
    /// `maximumSide`; nil for sampled pixels, which are not a whole picture.
    ///
    /// Cost: one conversion or copy per output pixel; allocates the crop.
    public func copy(from pixels: FramePixels, maximumSide: Int) -> RGBImage? {
        let longest = max(width, height)
        let outWidth = longest > maximumSide ? max(1, width * maximumSide / longest) : width
        let outHeight = longest > maximumSide ? max(1, height * maximumSide / longest) : height
        // Output column j reads the source column nearest its centre.
        let columns = (0..<outWidth).map { x0 + ((2 * $0 + 1) * width) / (2 * outWidth) }
        let rows = (0..<outHeight).map { y0 + ((2 * $0 + 1) * height) / (2 * outHeight) }
        switch pixels {
        case .rgb(let image):
            var out = [UInt8]()
            out.reserveCapacity(outWidth * outHeight * 3)
            let source = image.pixels
            for row in rows {
                let rowStart = row * image.bytesPerRow
                if outWidth == width {
                    out.append(contentsOf: source[(rowStart + x0 * 3)..<(rowStart + x1 * 3)])
                } else {
                    for column in columns {
                        let at = rowStart + column * 3
                        out.append(contentsOf: source[at..<(at + 3)])
                    }
                }
            }
            return RGBImage(width: outWidth, height: outHeight, pixels: out)
        case .yuv420(let picture):
            let out = [UInt8](unsafeUninitializedCapacity: outWidth * outHeight * 3) { buffer, initialized in
                picture.sampleRGB(rows: rows, columns: columns, into: buffer)
                initialized = outWidth * outHeight * 3
            }
            return RGBImage(width: outWidth, height: outHeight, pixels: out)
        case .sampled:
            return nil
        }
    }
}
