import CPixelKernels
import VideoCore

/// A hiding effect on one rectangle of a plane: worked out from the rectangle's original pixels
/// when it is made, then produced a row at a time (`row(_:_:into:)`), so a painter writes it only
/// where a mask covers the picture and mixes it with the untouched original in the feather band.
///
/// Owns its tables (one allocation, freed in `deinit`; non-copyable, so exactly one owner). The
/// plane is read only while the effect is made; producing rows reads only the tables, so they
/// may be written into the same plane.
struct PlaneEffect: ~Copyable {
    private enum Kind {
        /// Every pixel the same value (`.solid`).
        case level(UInt8)
        /// Squares of `size` pixels from the rectangle's corner, `across` per row of squares;
        /// their rounded means are in `storage`.
        case blocks(size: Int, across: Int)
        /// The blur: the rectangle averaged over `factor x factor` blocks and blurred
        /// (`lw x lh` samples), then interpolated back per row (`factor` 1: the samples are the
        /// pixels).
        case reduced(factor: Int, lw: Int, lh: Int)
    }

    private let kind: Kind
    /// Width of the rectangle, in pixels.
    private let width: Int
    private let storage: UnsafeMutablePointer<Int32>

    private init(kind: Kind, width: Int, capacity: Int) {
        self.kind = kind
        self.width = width
        storage = .allocate(capacity: max(1, capacity))
    }

    deinit { storage.deallocate() }

    /// Every pixel `value`.
    static func level(_ value: UInt8, width: Int) -> PlaneEffect {
        PlaneEffect(kind: .level(value), width: width, capacity: 0)
    }

    /// `rect` cut into `block` x `block` squares aligned to its corner (the last row and column of
    /// squares may be smaller), each filled with its rounded mean.
    static func pixelate(_ plane: MutablePlane, _ rect: PixelRect, block: Int) -> PlaneEffect {
        let (across, down) = ((rect.width + block - 1) / block, (rect.height + block - 1) / block)
        let effect = PlaneEffect(kind: .blocks(size: block, across: across), width: rect.width, capacity: across * down)
        for j in 0..<down {
            let (y0, y1) = (rect.y0 + j * block, min(rect.y1, rect.y0 + (j + 1) * block))
            for i in 0..<across {
                let (x0, x1) = (rect.x0 + i * block, min(rect.x1, rect.x0 + (i + 1) * block))
                var sum = 0
                for y in y0..<y1 {
                    let row = plane.row(y)
                    for x in x0..<x1 { sum += Int(row[x]) }
                }
                let n = (y1 - y0) * (x1 - x0)
                effect.storage[j * across + i] = Int32((sum + n / 2) / n)
            }
        }
        return effect
    }

    /// A blur of `rect` as strong as `passes` separable box blurs of `radius` pixels, with the
    /// window clamped at the rectangle's edges (the mean is over the pixels it covers), like
    /// `FramePainter.blur` on RGB. Strong blurs run on a reduced copy: the rectangle is averaged
    /// over `f x f` blocks (`f = radius / 3`, at most 16), blurred there with radius `radius / f`,
    /// and interpolated back bilinearly when rows are produced; a box blur that wide keeps no
    /// detail the reduction loses, and it costs about three operations per pixel instead of
    /// `6 * passes`. Radii below 6 blur at full resolution (`f = 1`, exact box blurs).
    static func blur(_ plane: MutablePlane, _ rect: PixelRect, radius: Int, passes: Int) -> PlaneEffect {
        let factor = min(16, max(1, radius / 3))
        let (lw, lh) = ((rect.width + factor - 1) / factor, (rect.height + factor - 1) / factor)
        let lowRadius = max(1, (radius + factor / 2) / factor)
        // The samples, then (f > 1) one interpolated line plus a copy of its last value, the
        // first column of each interval, each column's weight and each column's interval (see
        // `row`).
        let effect = PlaneEffect(
            kind: .reduced(factor: factor, lw: lw, lh: lh), width: rect.width,
            capacity: lw * lh + 2 * (lw + 1) + 2 * rect.width)
        let low = effect.storage
        PlaneKernels.averageBlocks(plane, rect, factor: factor, into: low)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: lw * lh + max(lw, lh)) { scratch in
            let b = scratch.baseAddress!
            let sums = b + lw * lh
            // The window sizes met: 1 ... 2 * radius + 1 (fewer where the rectangle is smaller).
            // The passes run in C (`facestream_box_blur_pass`: both directions as whole-row vector
            // steps, the horizontal one on the transposed samples), dividing by multiplying with ceil(2^32 / n), exact for n < 4096:
            // the radius in samples is at most about 1250 (a side of at most 100000 pixels, a
            // fifth of it, over blocks of 16), so windows stay far below that.
            let largest = min(max(lw, lh), 2 * lowRadius + 1)
            precondition(largest < 4096, "blur window of \(largest) samples")
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: largest + 1) { multipliers in
                for n in 0...largest { multipliers.initializeElement(at: n, to: facestream_multiplier(n)) }
                for _ in 0..<passes {
                    facestream_box_blur_pass(low, b, sums, lw, lh, lowRadius, multipliers.baseAddress!)
                }
            }
        }
        guard factor > 1 else { return effect }
        let firsts = low + lw * lh + lw + 1
        let weights = firsts + lw + 1
        var column = 0
        for i in 0...lw {
            while column < rect.width, Self.position(column, lw, factor).0 < i { column += 1 }
            firsts[i] = Int32(column)
        }
        let intervals = weights + rect.width
        for x in 0..<rect.width { (intervals[x], weights[x]) = Self.position(x, lw, factor) }
        return effect
    }

    /// The left (upper) sample pixel `p` reads and the weight of the next one, in 1/256: the
    /// sample position `u = (p + 0.5) / f - 0.5`, clamped to the samples.
    private static func position(_ p: Int, _ count: Int, _ f: Int) -> (Int32, Int32) {
        let u = min(max((Float(p) + 0.5) / Float(f) - 0.5, 0), Float(count - 1))
        let i0 = Int32(u)
        return (i0, Int32(((u - Float(i0)) * 256).rounded()))
    }

    /// Writes the effect's pixels of row `y` of the rectangle, columns `columns` (both counted
    /// from the rectangle's corner), to `out[columns]`.
    ///
    /// The blur interpolates the two nearest samples linearly in both directions, in 8-bit fixed
    /// point: `v = s0 * (256 - t) + s1 * t` down the column, then across
    /// `(left * (256 - s) + right * s + 2^15) >> 16`.
    func row(_ y: Int, _ columns: Range<Int>, into out: UnsafeMutablePointer<UInt8>) {
        guard !columns.isEmpty else { return }
        switch kind {
        case .level(let value):
            (out + columns.lowerBound).update(repeating: value, count: columns.count)
        case .blocks(let size, let across):
            let means = storage + (y / size) * across
            for x in columns { out[x] = UInt8(truncatingIfNeeded: means[x / size]) }
        case .reduced(let factor, let lw, let lh):
            let low = storage
            if factor == 1 {
                let samples = low + y * lw
                for x in columns { out[x] = UInt8(truncatingIfNeeded: samples[x]) }
                return
            }
            let line = low + lw * lh
            let firsts = line + lw + 1
            let weights = firsts + lw + 1
            let intervals = weights + width
            let (j0, t) = Self.position(y, lh, factor)
            let j1 = min(Int(j0) + 1, lh - 1)
            // The intervals (columns between the same two samples) that meet `columns` are
            // `first ... last`; they read the samples `first ... last + 1`. The loops run in C
            // (`facestream_expand_row`, CPixelKernels): eight 32-bit multiplies per instruction with
            // AVX2, where the base instruction set has none.
            facestream_expand_row(
                low + Int(j0) * lw, low + j1 * lw, t, line, lw, firsts, weights, Int(intervals[columns.lowerBound]),
                Int(intervals[columns.upperBound - 1]), columns.lowerBound, columns.upperBound, out)
        }
    }

    /// Writes the whole effect into `rect` of `plane` (the plane it was made from, or any other).
    func paintWhole(_ plane: MutablePlane, _ rect: PixelRect) {
        for y in 0..<rect.height { row(y, 0..<rect.width, into: plane.row(rect.y0 + y) + rect.x0) }
    }
}
