/// Fixed-point YUV -> RGB matrix in the form libswscale's full-chroma RGB writer uses: 17-bit
/// luma and signed 17-bit chroma in, 30-bit RGB out (`value >> 22` is the byte).
///
/// For a pixel: `L = (Y17 - yOffset) * yScale + 2^21`, `R = L + V17 * vToRed`,
/// `G = L + V17 * vToGreen + U17 * uToGreen`, `B = L + U17 * uToBlue`, all in wrapping 32-bit
/// arithmetic, then clamped to `0 ..< 2^30`.
public struct YUVToRGBCoefficients: Sendable, Equatable {
    /// Luma offset (16 << 16 scaled by 2^9 for limited range, 0 for full range).
    public var yOffset: Int32
    /// Luma gain.
    public var yScale: Int32
    /// V contribution to red.
    public var vToRed: Int32
    /// V contribution to green (negative).
    public var vToGreen: Int32
    /// U contribution to green (negative).
    public var uToGreen: Int32
    /// U contribution to blue.
    public var uToBlue: Int32

    /// Wraps the six coefficients.
    public init(yOffset: Int32, yScale: Int32, vToRed: Int32, vToGreen: Int32, uToGreen: Int32, uToBlue: Int32) {
        self.yOffset = yOffset
        self.yScale = yScale
        self.vToRed = vToRed
        self.vToGreen = vToGreen
        self.uToGreen = uToGreen
        self.uToBlue = uToBlue
    }
}
