import VideoCore

/// Converts packed YUYV 4:2:2 (Y0 U Y1 V per pixel pair) to RGB with the BT.601 limited-range
/// matrix that webcams use, in 8-bit fixed point:
///
///     c = Y - 16, d = U - 128, e = V - 128
///     R = (298c + 409e + 128) >> 8
///     G = (298c - 100d - 208e + 128) >> 8
///     B = (298c + 516d + 128) >> 8        each clamped to 0...255
///
/// Cost per frame: one pass over the input, one `width * height * 3` allocation.
public enum YUYVConverter {
    /// Converts one frame. `bytesPerRow` is the driver's stride (at least `width * 2`); `width` must
    /// be even. Throws when the buffer is too short for the size (a truncated frame).
    public static func rgb(
        from bytes: [UInt8], width: Int, height: Int, bytesPerRow: Int
    ) throws(FrameConversionError) -> RGBImage {
        guard width > 0, height > 0, width % 2 == 0, bytesPerRow >= width * 2 else {
            throw FrameConversionError(
                message: "YUYV frame \(width)x\(height) with \(bytesPerRow) bytes per row is not valid")
        }
        let needed = bytesPerRow * (height - 1) + width * 2
        guard bytes.count >= needed else {
            throw FrameConversionError(
                message: "YUYV frame \(width)x\(height) needs \(needed) bytes, the buffer holds \(bytes.count)")
        }
        let count = width * height * 3
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            bytes.withUnsafeBufferPointer { input in
                for y in 0..<height {
                    var source = y * bytesPerRow
                    var target = y * width * 3
                    for _ in 0..<(width / 2) {
                        let y0 = Int32(input[source]) - 16
                        let u = Int32(input[source + 1]) - 128
                        let y1 = Int32(input[source + 2]) - 16
                        let v = Int32(input[source + 3]) - 128
                        let red = 409 &* v &+ 128
                        let green = -100 &* u &- 208 &* v &+ 128
                        let blue = 516 &* u &+ 128
                        let luma0 = 298 &* y0
                        let luma1 = 298 &* y1
                        output[target] = clamp((luma0 &+ red) >> 8)
                        output[target + 1] = clamp((luma0 &+ green) >> 8)
                        output[target + 2] = clamp((luma0 &+ blue) >> 8)
                        output[target + 3] = clamp((luma1 &+ red) >> 8)
                        output[target + 4] = clamp((luma1 &+ green) >> 8)
                        output[target + 5] = clamp((luma1 &+ blue) >> 8)
                        source += 4
                        target += 6
                    }
                }
            }
            initialized = count
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @inline(__always)
    private static func clamp(_ value: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: min(max(value, 0), 255))
    }
}

/// A frame the driver delivered could not be turned into RGB (truncated, corrupt JPEG...).
/// The camera counts it and goes on with the next frame.
public struct FrameConversionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
