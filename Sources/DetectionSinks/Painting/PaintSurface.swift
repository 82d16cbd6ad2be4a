import VideoCore

/// A picture the outline and score label of `.box` can be drawn on: packed RGB (`RGBImage`) or
/// decoded 4:2:0 planes (`YUV420Canvas`).
protocol PaintSurface {
    /// Width in pixels.
    var width: Int { get }
    /// Height in pixels.
    var height: Int { get }
    /// Sets every pixel of `rect` (inside the picture) to the RGB colour `color`, as close as the
    /// surface can show it.
    mutating func fill(_ rect: PixelRect, with color: (UInt8, UInt8, UInt8))
}

extension RGBImage: PaintSurface {
    mutating func fill(_ rect: PixelRect, with color: (UInt8, UInt8, UInt8)) {
        let rowBytes = bytesPerRow
        pixels.withUnsafeMutableBufferPointer { pixels in
            for y in rect.y0..<rect.y1 {
                var offset = y * rowBytes + rect.x0 * 3
                for _ in rect.x0..<rect.x1 {
                    pixels[offset] = color.0
                    pixels[offset + 1] = color.1
                    pixels[offset + 2] = color.2
                    offset += 3
                }
            }
        }
    }
}
