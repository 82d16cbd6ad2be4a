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
/// Owns its tables (one allocation); call `deallocate()` when done. Not thread-safe.
struct YUV420SampleConverter {
    private let planes: YUV420Planes
    private let count: Int
    /// Rounded up to whole vectors; the tables are padded with valid columns.
    private let paddedCount: Int
    private let storage: UnsafeMutablePointer<Int32>
    private let lumaColumn: UnsafeMutablePointer<Int32>
    private let near: UnsafeMutablePointer<Int32>
    private let far: UnsafeMutablePointer<Int32>
    /// Three filtered lines per plane (slot `s` at `+ s * paddedCount`), and the chroma line each holds.
    private let blueLines: UnsafeMutablePointer<Int32>
    private let redLines: UnsafeMutablePointer<Int32>
    private var heldLines: SIMD3<Int> = SIMD3(repeating: -1)

    typealias Vector = SIMD8<Int32>
    private static let lanes = Vector.scalarCount

    init(planes: YUV420Planes, columns: [Int]) {
        self.planes = planes
        count = columns.count
        paddedCount = (count + Self.lanes - 1) / Self.lanes * Self.lanes
        storage = .allocate(capacity: paddedCount * 9)
        lumaColumn = storage
        near = lumaColumn + paddedCount
        far = near + paddedCount
        blueLines = far + paddedCount
        redLines = blueLines + paddedCount * 3
        let chromaWidth = planes.width / 2
        for index in 0..<paddedCount {
            // Padding repeats the last column (or column 0 when there is none): valid reads, unused results.
            let column = index < count ? columns[index] : (count > 0 ? columns[count - 1] : 0)
            precondition(
                column >= 0 && column < planes.width, "sampleRGB: column \(column) outside 0..<\(planes.width)")
            let half = column / 2
            lumaColumn[index] = Int32(column)
            near[index] = Int32(half)
            far[index] = Int32(column % 2 == 0 ? max(half - 1, 0) : min(half + 1, chromaWidth - 1))
        }
    }

    func deallocate() { storage.deallocate() }

    /// Writes the `count` sampled pixels of picture row `row` as packed RGB to `out`. Rows must come
    /// in ascending order (the held chroma lines only move down).
    mutating func convertRow(_ row: Int, into out: UnsafeMutablePointer<UInt8>) {
        let (first, second) = Self.chromaLines(row: row, height: planes.height)
        let firstSlot = slot(holding: first, keeping: second ?? first)
        let secondSlot = second.map { slot(holding: $0, keeping: first) }
        let lumaRow = planes.luma + row * planes.lumaStride
        let k = planes.coefficients
        let yOffset = Vector(repeating: k.yOffset)
        let yScale = Vector(repeating: k.yScale)
        let vToRed = Vector(repeating: k.vToRed)
        let vToGreen = Vector(repeating: k.vToGreen)
        let uToGreen = Vector(repeating: k.uToGreen)
        let uToBlue = Vector(repeating: k.uToBlue)
        let rounding = Vector(repeating: 1 << 21)
        let b0 = UnsafeRawPointer(blueLines + firstSlot * paddedCount)
        let r0 = UnsafeRawPointer(redLines + firstSlot * paddedCount)
        let b1 = UnsafeRawPointer(blueLines + (secondSlot ?? firstSlot) * paddedCount)
        let r1 = UnsafeRawPointer(redLines + (secondSlot ?? firstSlot) * paddedCount)
        let twoLines = secondSlot != nil
        var output = out
        var index = 0
        while index < count {
            let offset = index * MemoryLayout<Int32>.stride
            let u: Vector
            let v: Vector
            if twoLines {
                u =
                    (b0.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                        &+ b1.loadUnaligned(fromByteOffset: offset, as: Vector.self) &- 32768) &<< 1
                v =
                    (r0.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                        &+ r1.loadUnaligned(fromByteOffset: offset, as: Vector.self) &- 32768) &<< 1
            } else {
                u = (b0.loadUnaligned(fromByteOffset: offset, as: Vector.self) &- 16384) &<< 2
                v = (r0.loadUnaligned(fromByteOffset: offset, as: Vector.self) &- 16384) &<< 2
            }
            var y = Vector()
            for lane in 0..<Self.lanes { y[lane] = Int32(lumaRow[Int(lumaColumn[index + lane])]) }
            let base = ((y &<< 9) &- yOffset) &* yScale &+ rounding
            let red = Self.top(base &+ v &* vToRed)
            let green = Self.top(base &+ v &* vToGreen &+ u &* uToGreen)
            let blue = Self.top(base &+ u &* uToBlue)
            let lanes = min(Self.lanes, count - index)
            for lane in 0..<lanes {
                output[0] = UInt8(truncatingIfNeeded: red[lane])
                output[1] = UInt8(truncatingIfNeeded: green[lane])
                output[2] = UInt8(truncatingIfNeeded: blue[lane])
                output += 3
            }
            index += Self.lanes
        }
    }

    /// Clamps 30-bit results (negative after wrap-around counts as below zero) and keeps the top byte.
    @inline(__always)
    private static func top(_ value: Vector) -> Vector {
        value.clamped(lowerBound: Vector(repeating: 0), upperBound: Vector(repeating: (1 << 30) - 1)) &>> 22
    }

    /// The slot holding the filtered chroma `line`, filtering it into the slot of the topmost held
    /// line other than `keeping` when it is not held yet.
    private mutating func slot(holding line: Int, keeping: Int) -> Int {
        for slot in 0..<3 where heldLines[slot] == line { return slot }
        var victim = -1
        for slot in 0..<3 where heldLines[slot] != keeping {
            if victim < 0 || heldLines[slot] < heldLines[victim] { victim = slot }
        }
        heldLines[victim] = line
        filter(planes.blueDifference + line * planes.blueStride, into: blueLines + victim * paddedCount)
        filter(planes.redDifference + line * planes.redStride, into: redLines + victim * paddedCount)
        return victim
    }

    /// 15-bit horizontally upsampled chroma of one line at the sampled columns (padding included).
    private func filter(_ line: UnsafePointer<UInt8>, into result: UnsafeMutablePointer<Int32>) {
        for index in 0..<paddedCount {
            result[index] = (Int32(line[Int(far[index])]) &+ 3 &* Int32(line[Int(near[index])])) &<< 5
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
