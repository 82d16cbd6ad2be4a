import CPixelKernels

/// The row kernel behind `YUV420Planes.sampleRGB`: converts the sampled columns of one picture row
/// at a time, keeping the horizontally filtered chroma lines that following rows read again.
///
/// Arithmetic (swscale's `bilinear+accurate_rnd+full_chroma_int+bitexact` path, all wrapping Int32):
/// - chroma column filter, 15 bits: `f(x) = (c[far(x)] + 3 * c[near(x)]) << 5`, `near = x / 2`, `far`
///   the other neighbour (`near - 1` for even x, `near + 1` for odd x, clamped into the line);
/// - vertical step, 17 bits: one line `(f - 16384) << 2`, or two summed `(f0 + f1 - 32768) << 1`;
/// - `L = ((Y << 9) - yOffset) * yScale + 2^21`, `R = L + V * vToRed`, `G = L + V * vToGreen +
///   U * uToGreen`, `B = L + U * uToBlue`, each clamped into `0 ..< 2^30` and shifted right by 22.
///
/// The matrix runs in C (`facestream_yuv_matrix_row`, CPixelKernels: an AVX2 build where the CPU
/// has it, 32-bit lane multiplies that base x86-64 lacks); the gathers of luma and chroma columns
/// stay scalar here. Owns its tables (one allocation, freed in `deinit`; non-copyable so there is
/// exactly one owner). Not thread-safe.
struct YUV420SampleConverter: ~Copyable {
    private let planes: YUV420Planes
    /// Columns converted per row.
    let count: Int
    private let storage: UnsafeMutablePointer<Int32>
    private let lumaColumn: UnsafeMutablePointer<Int32>
    private let near: UnsafeMutablePointer<Int32>
    private let far: UnsafeMutablePointer<Int32>
    /// Per-row work rows: luma, and the packed pixels.
    private let lumaValues: UnsafeMutablePointer<Int32>
    private let packed: UnsafeMutablePointer<UInt32>
    /// Three filtered lines per plane (slot `s` at `+ s * count`), and the chroma line each holds.
    private let blueLines: UnsafeMutablePointer<Int32>
    private let redLines: UnsafeMutablePointer<Int32>
    private var heldLines = (-1, -1, -1)
    /// The coefficients in the C kernel's form.
    private let matrix: facestream_yuv_matrix

    init(planes: YUV420Planes, columns: [Int]) {
        self.planes = planes
        let k = planes.coefficients
        matrix = facestream_yuv_matrix(
            y_offset: k.yOffset, y_scale: k.yScale, v_to_red: k.vToRed, v_to_green: k.vToGreen, u_to_green: k.uToGreen,
            u_to_blue: k.uToBlue)
        count = columns.count
        storage = .allocate(capacity: max(count, 1) * 11)
        lumaColumn = storage
        near = lumaColumn + count
        far = near + count
        lumaValues = far + count
        packed = UnsafeMutableRawPointer(lumaValues + count).bindMemory(to: UInt32.self, capacity: count)
        blueLines = lumaValues + count * 2
        redLines = blueLines + count * 3
        let chromaWidth = planes.width / 2
        for (index, column) in columns.enumerated() {
            precondition(
                column >= 0 && column < planes.width, "sampleRGB: column \(column) outside 0..<\(planes.width)")
            let half = column / 2
            lumaColumn[index] = Int32(column)
            near[index] = Int32(half)
            far[index] = Int32(column % 2 == 0 ? max(half - 1, 0) : min(half + 1, chromaWidth - 1))
        }
    }

    deinit { storage.deallocate() }

    /// Writes the `count` sampled pixels of picture row `row` as packed RGB to `out`. Ascending rows
    /// reuse the chroma lines they share with the rows before.
    mutating func convertRow(_ row: Int, into out: UnsafeMutablePointer<UInt8>) {
        let count = self.count
        let (first, second) = Self.chromaLines(row: row, height: planes.height)
        let firstSlot = slot(holding: first, keeping: second ?? first)
        let secondSlot = second.map { slot(holding: $0, keeping: first) }
        let lumaRow = planes.luma + row * planes.lumaStride
        for index in 0..<count { lumaValues[index] = Int32(lumaRow[Int(lumaColumn[index])]) }
        let (b0, r0) = (blueLines + firstSlot * count, redLines + firstSlot * count)
        let (b1, r1) = secondSlot.map { (blueLines + $0 * count, redLines + $0 * count) } ?? (b0, r0)
        withUnsafePointer(to: matrix) { matrix in
            facestream_yuv_matrix_row(lumaValues, b0, r0, b1, r1, secondSlot == nil ? 0 : 1, matrix, packed, count)
        }
        // Four bytes per pixel (R, G, B and a spare) written three bytes apart: the next pixel
        // overwrites the spare; the last pixel writes only its three.
        let raw = UnsafeMutableRawPointer(out)
        for index in 0..<max(count - 1, 0) {
            raw.storeBytes(of: packed[index], toByteOffset: index * 3, as: UInt32.self)
        }
        if count > 0 {
            let last = packed[count - 1]
            out[count * 3 - 3] = UInt8(truncatingIfNeeded: last)
            out[count * 3 - 2] = UInt8(truncatingIfNeeded: last >> 8)
            out[count * 3 - 1] = UInt8(truncatingIfNeeded: last >> 16)
        }
    }

    /// The slot holding the filtered chroma `line`, filtering it into the slot of the topmost held
    /// line other than `keeping` when it is not held yet.
    private mutating func slot(holding line: Int, keeping: Int) -> Int {
        if heldLines.0 == line { return 0 }
        if heldLines.1 == line { return 1 }
        if heldLines.2 == line { return 2 }
        var victim = -1
        var victimLine = Int.max
        if heldLines.0 != keeping && heldLines.0 < victimLine { (victim, victimLine) = (0, heldLines.0) }
        if heldLines.1 != keeping && heldLines.1 < victimLine { (victim, victimLine) = (1, heldLines.1) }
        if heldLines.2 != keeping && heldLines.2 < victimLine { (victim, victimLine) = (2, heldLines.2) }
        switch victim {
        case 0: heldLines.0 = line
        case 1: heldLines.1 = line
        default: heldLines.2 = line
        }
        filter(
            planes.blueDifference + line * planes.blueStride, planes.redDifference + line * planes.redStride,
            into: blueLines + victim * count, redLines + victim * count)
        return victim
    }

    /// 15-bit horizontally upsampled chroma of one line of each chroma plane at the sampled columns
    /// (one pass, so the column taps are read once for both planes).
    private func filter(
        _ blueLine: UnsafePointer<UInt8>, _ redLine: UnsafePointer<UInt8>,
        into blueResult: UnsafeMutablePointer<Int32>, _ redResult: UnsafeMutablePointer<Int32>
    ) {
        for index in 0..<count {
            let (farColumn, nearColumn) = (Int(far[index]), Int(near[index]))
            blueResult[index] = (Int32(blueLine[farColumn]) &+ 3 &* Int32(blueLine[nearColumn])) &<< 5
            redResult[index] = (Int32(redLine[farColumn]) &+ 3 &* Int32(redLine[nearColumn])) &<< 5
        }
    }

    /// The chroma lines picture row `row` reads: one (odd rows; the first row) or two summed
    /// (even rows; the last row), as swscale's vertical step picks them for 2x upsampling.
    static func chromaLines(row: Int, height: Int) -> (first: Int, second: Int?) {
        let line = row / 2
        if row % 2 == 0 { return line == 0 ? (0, nil) : (line - 1, line) }
        return line + 1 >= height / 2 ? (line - 1, line) : (line, nil)
    }
}
