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
    /// the right and bottom edges), in C (`facestream_block_means`: per band of `f` rows, each
    /// column's sum with whole-row vector adds, then `f` column sums per block; the same sums as
    /// adding the block's pixels one by one).
    static func averageBlocks(
        _ plane: MutablePlane, _ rect: PixelRect, factor f: Int, into low: UnsafeMutablePointer<Int32>
    ) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: rect.width) { sums in
            facestream_block_means(
                plane.row(rect.y0) + rect.x0, plane.stride, rect.width, rect.height, f, sums.baseAddress!, low)
        }
    }
}
