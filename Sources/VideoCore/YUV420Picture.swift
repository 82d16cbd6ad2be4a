/// A decoded 8-bit 4:2:0 picture (three planes, packed rows) with the RGB conversion it stands
/// for: bit-identical to libswscale's `bilinear+accurate_rnd+full_chroma_int+bitexact` conversion
/// to RGB24 at the same size (chroma upsampled horizontally with 1:3 taps, vertically by
/// swscale's one-or-two-line rule), so a consumer can convert only the pixels it reads.
///
/// Sizes: even width and height of at least 16 (the producer checks the equality with swscale
/// before it hands out pictures of a stream).
public struct YUV420Picture: Sendable {
    /// Width in pixels (even).
    public let width: Int
    /// Height in pixels (even).
    public let height: Int
    /// `width * height` luma bytes, row-major.
    public let luma: [UInt8]
    /// `(width / 2) * (height / 2)` Cb bytes.
    public let blueDifference: [UInt8]
    /// `(width / 2) * (height / 2)` Cr bytes.
    public let redDifference: [UInt8]
    /// The YUV -> RGB matrix.
    public let coefficients: YUVToRGBCoefficients
    /// The matrix as ITU-T H.273 `MatrixCoefficients` code (1 BT.709, 6 BT.601/SMPTE 170M,
    /// 9 BT.2020 ...), for an encoder that passes the planes on and must label them the same way.
    public let matrixCode: Int

    /// Wraps the planes; traps on sizes this type does not describe. `matrixCode` names the
    /// matrix of `coefficients` (default 6, BT.601, the matrix of untagged video).
    public init(
        width: Int, height: Int, luma: [UInt8], blueDifference: [UInt8], redDifference: [UInt8],
        coefficients: YUVToRGBCoefficients, matrixCode: Int = 6
    ) {
        precondition(
            Self.supports(width: width, height: height), "YUV420Picture needs even sizes >= 16, got \(width)x\(height)")
        let chroma = (width / 2) * (height / 2)
        precondition(
            luma.count == width * height && blueDifference.count == chroma && redDifference.count == chroma,
            "YUV420Picture \(width)x\(height): plane sizes do not match")
        self.width = width
        self.height = height
        self.luma = luma
        self.blueDifference = blueDifference
        self.redDifference = redDifference
        self.coefficients = coefficients
        self.matrixCode = matrixCode
    }

    /// Whether the planes use the full 0...255 range (JPEG range) rather than 16...235 luma.
    public var isFullRange: Bool { coefficients.yOffset == 0 }

    /// Whether a picture of this size can be described (even sizes, at least 16x16).
    public static func supports(width: Int, height: Int) -> Bool {
        width >= 16 && height >= 16 && width % 2 == 0 && height % 2 == 0
    }

    /// The whole picture as RGB.
    public func rgbImage() -> RGBImage {
        let columns = Array(0..<width)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeMutableBufferPointer { sampleRGB(rows: 0..<height, columns: columns, into: $0) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Writes the RGB of pixel `(columns[j], rows[i])` to `output[(i * columns.count + j) * 3 ...]`.
    /// `output` holds at least `rows.count * columns.count * 3` bytes; rows and columns must be valid.
    public func sampleRGB(
        rows: some Collection<Int>, columns: [Int], into output: UnsafeMutableBufferPointer<UInt8>
    ) {
        withPlanes { $0.sampleRGB(rows: Array(rows), columns: columns, into: output) }
    }

    /// Calls `body` with a view of the planes, valid only during the call.
    public func withPlanes<Result>(_ body: (YUV420Planes) throws -> Result) rethrows -> Result {
        try luma.withUnsafeBufferPointer { lumaPlane in
            try blueDifference.withUnsafeBufferPointer { bluePlane in
                try redDifference.withUnsafeBufferPointer { redPlane in
                    try body(
                        YUV420Planes(
                            width: width, height: height, luma: lumaPlane.baseAddress!, lumaStride: width,
                            blueDifference: bluePlane.baseAddress!, blueStride: width / 2,
                            redDifference: redPlane.baseAddress!, redStride: width / 2, coefficients: coefficients))
                }
            }
        }
    }
}
