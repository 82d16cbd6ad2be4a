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

    /// Wraps the planes; traps on sizes this type does not describe.
    public init(
        width: Int, height: Int, luma: [UInt8], blueDifference: [UInt8], redDifference: [UInt8],
        coefficients: YUVToRGBCoefficients
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
    }

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
    /// `output` holds at least `rows.count * columns.count * 3` bytes; columns must be valid.
    public func sampleRGB(
        rows: some Collection<Int>, columns: [Int], into output: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(output.count >= rows.count * columns.count * 3, "sampleRGB: output too small")
        let count = columns.count
        let chromaWidth = width / 2
        // Per column: the luma column, and the chroma columns weighted 3 (near) and 1 (far).
        let taps = UnsafeMutableBufferPointer<Int32>.allocate(capacity: count * 15)
        defer { taps.deallocate() }
        // Three horizontally filtered chroma lines per plane, kept while rows go down the picture.
        let blueLines = taps.baseAddress! + count * 9
        let redLines = blueLines + count * 3
        var heldLines = (-1, -1, -1)
        let lumaColumn = taps.baseAddress!
        let near = lumaColumn + count
        let far = near + count
        let blue = far + count
        let red = blue + count
        let lumaValues = red + count
        let redOut = lumaValues + count
        let greenOut = redOut + count
        let blueOut = greenOut + count
        for (index, column) in columns.enumerated() {
            precondition(column >= 0 && column < width, "sampleRGB: column \(column) outside 0..<\(width)")
            let half = column / 2
            lumaColumn[index] = Int32(column)
            near[index] = Int32(half)
            far[index] = Int32(column % 2 == 0 ? max(half - 1, 0) : min(half + 1, chromaWidth - 1))
        }
        let k = coefficients
        luma.withUnsafeBufferPointer { lumaPlane in
            blueDifference.withUnsafeBufferPointer { bluePlane in
                redDifference.withUnsafeBufferPointer { redPlane in
                    // Local to the closure: a captured `var` would be boxed and access-checked per pixel.
                    var out = output.baseAddress!
                    for row in rows {
                        precondition(row >= 0 && row < height, "sampleRGB: row \(row) outside 0..<\(height)")
                        let lines = chromaLines(row: row)
                        func filtered(_ line: Int, keeping other: Int) -> Int {
                            if heldLines.0 == line { return 0 }
                            if heldLines.1 == line { return 1 }
                            if heldLines.2 == line { return 2 }
                            // Replace the topmost line that is not `other` (rows only go down).
                            let candidates = [(heldLines.0, 0), (heldLines.1, 1), (heldLines.2, 2)].filter {
                                other < 0 || $0.0 != other
                            }
                            let slot = candidates.min { $0.0 < $1.0 }!.1
                            switch slot {
                            case 0: heldLines.0 = line
                            case 1: heldLines.1 = line
                            default: heldLines.2 = line
                            }
                            Self.filterLine(
                                bluePlane.baseAddress! + line * chromaWidth, near, far, count, blueLines + slot * count)
                            Self.filterLine(
                                redPlane.baseAddress! + line * chromaWidth, near, far, count, redLines + slot * count)
                            return slot
                        }
                        let first = filtered(lines.first, keeping: lines.second ?? -1)
                        if let second = lines.second.map({ filtered($0, keeping: lines.first) }) {
                            let (b0, b1) = (blueLines + first * count, blueLines + second * count)
                            let (r0, r1) = (redLines + first * count, redLines + second * count)
                            for index in 0..<count {
                                blue[index] = (b0[index] &+ b1[index] &- 32768) << 1
                                red[index] = (r0[index] &+ r1[index] &- 32768) << 1
                            }
                        } else {
                            let (b0, r0) = (blueLines + first * count, redLines + first * count)
                            for index in 0..<count {
                                blue[index] = (b0[index] &- 16384) << 2
                                red[index] = (r0[index] &- 16384) << 2
                            }
                        }
                        let lumaRow = lumaPlane.baseAddress! + row * width
                        for index in 0..<count { lumaValues[index] = Int32(lumaRow[Int(lumaColumn[index])]) }
                        // Contiguous, branch-free arithmetic (vectorised by the compiler).
                        for index in 0..<count {
                            let base = ((lumaValues[index] << 9) &- k.yOffset) &* k.yScale &+ (1 << 21)
                            let u = blue[index]
                            let v = red[index]
                            redOut[index] = Self.top(base &+ v &* k.vToRed)
                            greenOut[index] = Self.top(base &+ v &* k.vToGreen &+ u &* k.uToGreen)
                            blueOut[index] = Self.top(base &+ u &* k.uToBlue)
                        }
                        for index in 0..<count {
                            out[0] = UInt8(truncatingIfNeeded: redOut[index])
                            out[1] = UInt8(truncatingIfNeeded: greenOut[index])
                            out[2] = UInt8(truncatingIfNeeded: blueOut[index])
                            out += 3
                        }
                    }
                }
            }
        }
    }

    /// Clamps a 30-bit result (negative after wrap-around counts as below zero) and keeps its top byte.
    @inline(__always)
    private static func top(_ value: Int32) -> Int32 {
        min(max(value, 0), (1 << 30) - 1) >> 22
    }

    /// The chroma lines picture row `row` reads: one (odd rows; the first row) or two summed
    /// (even rows; the last row), as swscale's vertical step picks them for 2x upsampling.
    private func chromaLines(row: Int) -> (first: Int, second: Int?) {
        let line = row / 2
        if row % 2 == 0 { return line == 0 ? (0, nil) : (line - 1, line) }
        return line + 1 >= height / 2 ? (line - 1, line) : (line, nil)
    }

    /// 15-bit horizontally upsampled chroma of one line at the sampled columns: 1:3 taps.
    @inline(__always)
    private static func filterLine(
        _ line: UnsafePointer<UInt8>, _ near: UnsafeMutablePointer<Int32>, _ far: UnsafeMutablePointer<Int32>,
        _ count: Int, _ result: UnsafeMutablePointer<Int32>
    ) {
        for index in 0..<count {
            result[index] = (Int32(line[Int(far[index])]) &+ 3 &* Int32(line[Int(near[index])])) << 5
        }
    }
}
