import CPixelKernels
import VideoCore

/// The hiding effects on one 8-bit plane (luma, or one chroma plane at half size) lent for
/// painting (`MutablePlane`: rows `stride` bytes apart). Rectangles are in the plane's own pixels
/// and lie inside it. Only pixels of the rectangle are read or written.
///
/// An effect is worked out from the rectangle's original pixels first (`PlaneEffect`) and then
/// produced row by row, so a painter can write it straight into the plane where a mask covers it
/// and mix it with the original in the feather band, with no saved copy of the original.
enum PlaneKernels {
    /// Sets every pixel of `rect` to `value`.
    static func fill(_ plane: MutablePlane, _ rect: PixelRect, value: UInt8) {
        for y in rect.y0..<rect.y1 { (plane.row(y) + rect.x0).update(repeating: value, count: rect.width) }
    }

    /// Blurs `rect` in place (`PlaneEffect.blur`, every pixel of the rectangle).
    static func blur(_ plane: MutablePlane, _ rect: PixelRect, radius: Int, passes: Int) {
        PlaneEffect.blur(plane, rect, radius: radius, passes: passes).paintWhole(plane, rect)
    }

    /// Pixelates `rect` in place (`PlaneEffect.pixelate`, every pixel of the rectangle).
    static func pixelate(_ plane: MutablePlane, _ rect: PixelRect, block: Int) {
        PlaneEffect.pixelate(plane, rect, block: block).paintWhole(plane, rect)
    }

    /// `low[j][i]` = rounded mean of the rectangle's pixels in block `(i, j)` (`f x f`, smaller at
    /// the right and bottom edges).
    static func averageBlocks(
        _ plane: MutablePlane, _ rect: PixelRect, factor f: Int, into low: UnsafeMutablePointer<Int32>, _ lw: Int,
        _ lh: Int
    ) {
        if f == 1 {
            // Blocks of one pixel: a copy (no division per pixel).
            for j in 0..<lh {
                let row = plane.row(rect.y0 + j) + rect.x0
                for i in 0..<lw { low[j * lw + i] = Int32(row[i]) }
            }
            return
        }
        let whole = Reciprocal(f * f)
        // Per band of `f` rows: each column's sum over the band (rows read in order; in C,
        // `facestream_add_bytes`, eight or sixteen lanes at a time), then each block adds `f` of
        // those column sums. The same sums as adding the block's pixels one by one.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: rect.width) { columns in
            let sums = columns.baseAddress!
            let w = rect.width
            for j in 0..<lh {
                let (y0, y1) = (rect.y0 + j * f, min(rect.y1, rect.y0 + (j + 1) * f))
                sums.update(repeating: 0, count: w)
                for y in y0..<y1 { facestream_add_bytes(plane.row(y) + rect.x0, sums, w) }
                for i in 0..<lw {
                    let (x0, x1) = (i * f, min(w, (i + 1) * f))
                    var sum: Int32 = 0
                    for x in x0..<x1 { sum += sums[x] }
                    let n = (y1 - y0) * (x1 - x0)
                    low[j * lw + i] = (n == f * f ? whole : Reciprocal(n)).roundedQuotient(sum, n)
                }
            }
        }
    }

    /// Division by a small count `n` as a multiplication: `m = ceil(2^40 / n)`, and
    /// `(x * m) >> 40 == x / n` for `0 <= x` and `x * n < 2^40` (the error `x * (m - 2^40 / n)`
    /// stays below `2^40 / n`, one step of the quotient). Block sums here are at most
    /// `256 * n` with `n <= 256`, far inside that. An integer division costs 20-40 cycles.
    struct Reciprocal {
        let multiplier: Int64

        init(_ n: Int) { multiplier = ((1 << 40) + Int64(n) - 1) / Int64(n) }

        /// `(sum + n / 2) / n`: the mean of `n` values rounded half up, for `sum >= 0`.
        @inline(__always) func roundedQuotient(_ sum: Int32, _ n: Int) -> Int32 {
            Int32(truncatingIfNeeded: ((Int64(sum) + Int64(n / 2)) &* multiplier) >> 40)
        }
    }
}
