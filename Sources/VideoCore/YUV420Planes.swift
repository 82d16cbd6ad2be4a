/// A borrowed view of 8-bit 4:2:0 planes (a decoder's frame, or a `YUV420Picture`'s arrays) with
/// the RGB conversion `YUV420Picture` describes, so a producer can convert the pixels a consumer
/// reads without copying the planes first.
///
/// Valid only while the memory it points to is: the caller keeps the planes alive and unchanged
/// for the view's lifetime. Plane row `r` starts at `base + r * stride`.
public struct YUV420Planes {
    /// Width in pixels (even, at least 16).
    public let width: Int
    /// Height in pixels (even, at least 16).
    public let height: Int
    /// Luma plane: `height` rows of `width` bytes.
    public let luma: UnsafePointer<UInt8>
    /// Bytes from one luma row to the next (at least `width`).
    public let lumaStride: Int
    /// Cb plane: `height / 2` rows of `width / 2` bytes.
    public let blueDifference: UnsafePointer<UInt8>
    /// Bytes from one Cb row to the next.
    public let blueStride: Int
    /// Cr plane: `height / 2` rows of `width / 2` bytes.
    public let redDifference: UnsafePointer<UInt8>
    /// Bytes from one Cr row to the next.
    public let redStride: Int
    /// The YUV -> RGB matrix.
    public let coefficients: YUVToRGBCoefficients

    /// Wraps plane pointers; traps on sizes or strides the conversion does not describe.
    public init(
        width: Int, height: Int, luma: UnsafePointer<UInt8>, lumaStride: Int,
        blueDifference: UnsafePointer<UInt8>, blueStride: Int, redDifference: UnsafePointer<UInt8>,
        redStride: Int, coefficients: YUVToRGBCoefficients
    ) {
        precondition(
            YUV420Picture.supports(width: width, height: height),
            "YUV420Planes needs even sizes >= 16, got \(width)x\(height)")
        precondition(
            lumaStride >= width && blueStride >= width / 2 && redStride >= width / 2,
            "YUV420Planes \(width)x\(height): strides \(lumaStride), \(blueStride), \(redStride) too small")
        self.width = width
        self.height = height
        self.luma = luma
        self.lumaStride = lumaStride
        self.blueDifference = blueDifference
        self.blueStride = blueStride
        self.redDifference = redDifference
        self.redStride = redStride
        self.coefficients = coefficients
    }

    /// Writes the RGB of pixel `(columns[j], rows[i])` to `output[(i * columns.count + j) * 3 ...]`,
    /// bit-identical to swscale's conversion of the whole picture (see `YUV420Picture`).
    /// `output` holds at least `rows.count * columns.count * 3` bytes. Cost: `rows.count *
    /// columns.count` pixel conversions plus one horizontal chroma pass per chroma line the rows read
    /// (ascending rows reuse the lines they share); allocates only small per-call tables.
    public func sampleRGB(rows: [Int], columns: [Int], into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(output.count >= rows.count * columns.count * 3, "sampleRGB: output too small")
        var converter = YUV420SampleConverter(planes: self, columns: columns)
        var out = output.baseAddress!
        for row in rows {
            precondition(row >= 0 && row < height, "sampleRGB: row \(row) outside 0..<\(height)")
            converter.convertRow(row, into: out)
            out += columns.count * 3
        }
    }

    /// A converter for single rows at `columns`, for callers that visit rows one at a time (the
    /// tables are built once instead of per `sampleRGB` call). Valid while the planes are.
    public func rowConverter(columns: [Int]) -> YUV420RowConverter {
        YUV420RowConverter(converter: YUV420SampleConverter(planes: self, columns: columns), planes: self)
    }
}

/// Converts rows of one `YUV420Planes` at fixed columns, like `sampleRGB` with one row. Not
/// thread-safe; borrows the planes' memory, so it must not outlive them.
public final class YUV420RowConverter {
    private var converter: YUV420SampleConverter
    private let height: Int
    private let count: Int

    init(converter: consuming YUV420SampleConverter, planes: YUV420Planes) {
        self.converter = converter
        height = planes.height
        count = self.converter.count
    }

    /// Writes the RGB of the columns of picture row `row` to `output` (`3 * columns.count` bytes).
    public func convert(row: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(row >= 0 && row < height, "convert: row \(row) outside 0..<\(height)")
        precondition(output.count >= count * 3, "convert: output too small")
        converter.convertRow(row, into: output.baseAddress!)
    }
}
