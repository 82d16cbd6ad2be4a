/// The hiding effects on one 8-bit plane (luma, or one chroma plane at half size) of a picture
/// whose rows are packed (`stride == width`). Rectangles are in the plane's own pixels and lie
/// inside it. Only pixels of the rectangle are read or written.
///
/// Memory: `plane` is borrowed for the call only; the blur's scratch space is a temporary
/// allocation of the reduced rectangle's size (on the stack when it is small).
enum PlaneKernels {
    /// Sets every pixel of `rect` to `value`.
    static func fill(_ plane: UnsafeMutableBufferPointer<UInt8>, width: Int, _ rect: PixelRect, value: UInt8) {
        for y in rect.y0..<rect.y1 {
            UnsafeMutableBufferPointer(rebasing: plane[(y * width + rect.x0)..<(y * width + rect.x1)])
                .update(repeating: value)
        }
    }

    /// A blur of `rect` as strong as `passes` separable box blurs of `radius` pixels, with the window
    /// clamped at the rectangle's edges (the mean is over the pixels it covers), like
    /// `FramePainter.blur` on RGB. Strong blurs run on a reduced copy: the rectangle is averaged
    /// over `f x f` blocks (`f = radius / 3`, at most 16), blurred there with radius `radius / f`,
    /// and interpolated back bilinearly; a box blur that wide keeps no detail the reduction loses,
    /// and it costs about three operations per pixel instead of `6 * passes`. Radii below 6 blur
    /// at full resolution (`f = 1`, exact box blurs).
    static func blur(
        _ plane: UnsafeMutableBufferPointer<UInt8>, width: Int, _ rect: PixelRect, radius: Int, passes: Int
    ) {
        let factor = min(16, max(1, radius / 3))
        let (lw, lh) = ((rect.width + factor - 1) / factor, (rect.height + factor - 1) / factor)
        let lowRadius = max(1, (radius + factor / 2) / factor)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * lw * lh + lw) { scratch in
            let a = scratch.baseAddress!
            let b = a + lw * lh
            let sums = b + lw * lh
            averageBlocks(plane, width: width, rect, factor: factor, into: a, lw, lh)
            // The window sizes met: 1 ... 2 * radius + 1 (fewer where the rectangle is smaller).
            let largest = min(max(lw, lh), 2 * lowRadius + 1)
            withUnsafeTemporaryAllocation(of: Reciprocal.self, capacity: largest + 1) { reciprocals in
                for n in 1...largest { reciprocals.initializeElement(at: n, to: Reciprocal(n)) }
                reciprocals.initializeElement(at: 0, to: Reciprocal(1))
                for _ in 0..<passes {
                    boxBlur(a, b, sums, lw, lh, radius: lowRadius, reciprocals: UnsafePointer(reciprocals.baseAddress!))
                }
            }
            expand(a, lw, lh, factor: factor, into: plane, width: width, rect)
        }
    }

    /// `low[j][i]` = rounded mean of the rectangle's pixels in block `(i, j)` (`f x f`, smaller at
    /// the right and bottom edges).
    private static func averageBlocks(
        _ plane: UnsafeMutableBufferPointer<UInt8>, width: Int, _ rect: PixelRect, factor f: Int,
        into low: UnsafeMutablePointer<Int32>, _ lw: Int, _ lh: Int
    ) {
        let base = plane.baseAddress!
        if f == 1 {
            // Blocks of one pixel: a copy (no division per pixel).
            for j in 0..<lh {
                let row = base + (rect.y0 + j) * width + rect.x0
                for i in 0..<lw { low[j * lw + i] = Int32(row[i]) }
            }
            return
        }
        let whole = Reciprocal(f * f)
        // Per band of `f` rows: each column's sum over the band (one vector add per 8 pixels,
        // rows read in order), then each block adds `f` of those column sums. The same sums as
        // adding the block's pixels one by one.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: rect.width) { columns in
            let sums = columns.baseAddress!
            let w = rect.width
            for j in 0..<lh {
                let (y0, y1) = (rect.y0 + j * f, min(rect.y1, rect.y0 + (j + 1) * f))
                sums.update(repeating: 0, count: w)
                for y in y0..<y1 {
                    let row = base + y * width + rect.x0
                    var x = 0
                    // Unaligned loads and stores: `sums` and the plane row have no alignment.
                    while x + 8 <= w {
                        let pixels = UnsafeRawPointer(row + x).loadUnaligned(as: SIMD8<UInt8>.self)
                        let total = UnsafeRawPointer(sums + x).loadUnaligned(as: SIMD8<Int32>.self)
                        UnsafeMutableRawPointer(sums + x).storeBytes(
                            of: total &+ SIMD8<Int32>(truncatingIfNeeded: pixels), as: SIMD8<Int32>.self)
                        x += 8
                    }
                    while x < w {
                        sums[x] += Int32(row[x])
                        x += 1
                    }
                }
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

    /// One pass of a separable box blur of `a` (`w x h`) in place, through `b`: horizontal,
    /// `b[y][x] = round(sum(a[y][lo(x)...hi(x)]) / (hi - lo + 1))` with `lo = max(0, x - r)` and
    /// `hi = min(w - 1, x + r)`, by a running sum along the row; then the same vertically from `b`
    /// back to `a`, with one running sum per column (`sums`, `w` values) so rows are read in order.
    /// The divisions by the window size `n` are multiplications by `reciprocals[n]` (exact here;
    /// the table covers every window size of the pass).
    private static func boxBlur(
        _ a: UnsafeMutablePointer<Int32>, _ b: UnsafeMutablePointer<Int32>, _ sums: UnsafeMutablePointer<Int32>,
        _ w: Int, _ h: Int, radius: Int, reciprocals: UnsafePointer<Reciprocal>
    ) {
        for y in 0..<h {
            let input = a + y * w
            let output = b + y * w
            var sum: Int32 = 0
            for x in 0..<min(w, radius + 1) { sum += input[x] }
            for x in 0..<w {
                let n = min(w - 1, x + radius) - max(0, x - radius) + 1
                output[x] = reciprocals[n].roundedQuotient(sum, n)
                if x + radius + 1 < w { sum += input[x + radius + 1] }
                if x - radius >= 0 { sum -= input[x - radius] }
            }
        }
        for x in 0..<w { sums[x] = 0 }
        for y in 0..<min(h, radius + 1) {
            for x in 0..<w { sums[x] += b[y * w + x] }
        }
        for y in 0..<h {
            let n = min(h - 1, y + radius) - max(0, y - radius) + 1
            let reciprocal = reciprocals[n]
            let output = a + y * w
            for x in 0..<w { output[x] = reciprocal.roundedQuotient(sums[x], n) }
            if y + radius + 1 < h {
                let entering = b + (y + radius + 1) * w
                for x in 0..<w { sums[x] += entering[x] }
            }
            if y - radius >= 0 {
                let leaving = b + (y - radius) * w
                for x in 0..<w { sums[x] -= leaving[x] }
            }
        }
    }

    /// Division by a small count `n` as a multiplication: `m = ceil(2^40 / n)`, and
    /// `(x * m) >> 40 == x / n` for `0 <= x` and `x * n < 2^40` (the error `x * (m - 2^40 / n)`
    /// stays below `2^40 / n`, one step of the quotient). Box sums here are at most
    /// `256 * n` with `n <= 2^12`, far inside that. An integer division costs 20-40 cycles, and
    /// was half of the blur's time with many small faces.
    struct Reciprocal {
        let multiplier: Int64

        init(_ n: Int) { multiplier = ((1 << 40) + Int64(n) - 1) / Int64(n) }

        /// `(sum + n / 2) / n`: the mean of `n` values rounded half up, for `sum >= 0`.
        @inline(__always) func roundedQuotient(_ sum: Int32, _ n: Int) -> Int32 {
            Int32(truncatingIfNeeded: ((Int64(sum) + Int64(n / 2)) &* multiplier) >> 40)
        }
    }

    /// Writes the rectangle back from the reduced picture: pixel `x` reads the low-resolution
    /// samples around `u = (x + 0.5) / f - 0.5` (clamped to the samples) and mixes the two
    /// nearest linearly, in both directions, in 8-bit fixed point: `v = (s0 * (256 - t) + s1 * t)`
    /// per direction, then `(vertical * (256 - s) + ... + 2^15) >> 16`. With `f = 1` it copies.
    private static func expand(
        _ low: UnsafeMutablePointer<Int32>, _ lw: Int, _ lh: Int, factor f: Int,
        into plane: UnsafeMutableBufferPointer<UInt8>, width: Int, _ rect: PixelRect
    ) {
        let base = plane.baseAddress!
        if f == 1 {
            for y in 0..<rect.height {
                let row = base + (rect.y0 + y) * width + rect.x0
                for x in 0..<rect.width { row[x] = UInt8(truncatingIfNeeded: low[y * lw + x]) }
            }
            return
        }
        /// The left (upper) sample and the weight of the next one, in 1/256.
        func position(_ p: Int, _ count: Int) -> (Int, Int32) {
            let u = min(max((Float(p) + 0.5) / Float(f) - 0.5, 0), Float(count - 1))
            let i0 = Int(u)
            return (i0, Int32(((u - Float(i0)) * 256).rounded()))
        }
        // `line` holds one interpolated row of samples (times 256) plus a copy of its last value,
        // so the last column may read "i0 + 1" with weight 0. Per column, `weights` holds the
        // weight of the right sample; the columns reading samples i and i + 1 are
        // `firsts[i]..<firsts[i + 1]` (the left sample never decreases along a row).
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * lw + 2 + rect.width) { memory in
            let line = memory.baseAddress!
            let firsts = line + lw + 1
            let weights = firsts + lw + 1
            var column = 0
            for i in 0...lw {
                while column < rect.width, position(column, lw).0 < i { column += 1 }
                firsts[i] = Int32(column)
            }
            for x in 0..<rect.width { weights[x] = position(x, lw).1 }
            for y in 0..<rect.height {
                let (j0, t) = position(y, lh)
                let j1 = min(j0 + 1, lh - 1)
                let upper = low + j0 * lw
                let lower = low + j1 * lw
                for i in 0..<lw { line[i] = upper[i] * (256 - t) + lower[i] * t }
                line[lw] = line[lw - 1]
                let row = base + (rect.y0 + y) * width + rect.x0
                // (left * (256 - s) + right * s + 2^15) >> 16, written as
                // (left * 256 + 2^15 + (right - left) * s) >> 16: the same integer.
                for i in 0..<lw {
                    let (from, to) = (Int(firsts[i]), Int(firsts[i + 1]))
                    let start = SIMD8<Int32>(repeating: line[i] &* 256 &+ 32_768)
                    let step = SIMD8<Int32>(repeating: line[i + 1] &- line[i])
                    var x = from
                    // Unaligned 8-lane loads and stores: the pointers are into packed rows.
                    while x + 8 <= to {
                        let s = UnsafeRawPointer(weights + x).loadUnaligned(as: SIMD8<Int32>.self)
                        let value = (start &+ step &* s) &>> 16
                        UnsafeMutableRawPointer(row + x).storeBytes(
                            of: SIMD8<UInt8>(truncatingIfNeeded: value), as: SIMD8<UInt8>.self)
                        x += 8
                    }
                    while x < to {
                        row[x] = UInt8(truncatingIfNeeded: (start[0] &+ step[0] &* weights[x]) >> 16)
                        x += 1
                    }
                }
            }
        }
    }

    /// Replaces `rect` by `block` x `block` squares aligned to its corner (the last row and column
    /// of squares may be smaller), each filled with its rounded mean.
    static func pixelate(_ plane: UnsafeMutableBufferPointer<UInt8>, width: Int, _ rect: PixelRect, block: Int) {
        let base = plane.baseAddress!
        for by in stride(from: rect.y0, to: rect.y1, by: block) {
            let yEnd = min(by + block, rect.y1)
            for bx in stride(from: rect.x0, to: rect.x1, by: block) {
                let xEnd = min(bx + block, rect.x1)
                var sum = 0
                for y in by..<yEnd {
                    for x in bx..<xEnd { sum += Int(base[y * width + x]) }
                }
                let n = (yEnd - by) * (xEnd - bx)
                let mean = UInt8((sum + n / 2) / n)
                for y in by..<yEnd {
                    (base + y * width + bx).update(repeating: mean, count: xEnd - bx)
                }
            }
        }
    }

    /// Copies `rect` out of the plane into `saved` (row-major, `rect.width` per row).
    static func save(
        _ plane: UnsafeMutableBufferPointer<UInt8>, width: Int, _ rect: PixelRect, into saved: inout [UInt8]
    ) {
        let count = rect.width * rect.height
        if saved.count < count { saved = [UInt8](repeating: 0, count: count) }
        saved.withUnsafeMutableBufferPointer { saved in
            for y in 0..<rect.height {
                (saved.baseAddress! + y * rect.width).update(
                    from: plane.baseAddress! + (rect.y0 + y) * width + rect.x0, count: rect.width)
            }
        }
    }
}
