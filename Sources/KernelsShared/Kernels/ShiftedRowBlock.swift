/// Micro-kernels of `ShiftedRowsConvolution`: up to 4 output channels of one output row,
///
///     c[r * cStride + n + v] = act(bias[r] + sum_k a[k * aStride + r] * b[offsets[k] + n + v])
///
/// for `r` in `stored` (within 0 ..< 4; the other rows are computed and dropped), `v` < 24, 16
/// or 8, with `a` holding the block's 4 rows contiguously per depth step (`aStride` 4). The
/// pointers are borrowed for one call: `a` and `bias` are readable for 4 rows, `b + offsets[k]
/// + n + v` lies in the padded input (or its slack) and `c + r * cStride + n + v` for stored
/// rows in the output (or staging) row.
struct ShiftedRowBlock {
    let a: UnsafePointer<Float>
    let aStride: Int
    let offsets: UnsafePointer<Int32>
    let depth: Int
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
    let cStride: Int
    let bias: UnsafePointer<Float>
    let stored: Range<Int>
    let relu: Bool

    /// Columns 0 ..< count: 24-wide blocks, then 16 or 8; the last block overlaps its neighbour,
    /// and a run under 8 columns computes (and writes) 8.
    func run(columns count: Int) {
        var n = 0
        while n < count {
            let remaining = count - n
            if remaining >= 24 || (remaining > 16 && count >= 24) {
                let at = min(n, count - 24)
                columns24(at)
                n = at + 24
            } else if remaining > 8 && count >= 16 {
                let at = min(n, count - 16)
                columns16(at)
                n = at + 16
            } else {
                let at = max(0, min(n, count - 8))
                columns8(at)
                n = at + 8
            }
        }
    }

    /// Columns n ..< n+24: one `Tile4x24`; per depth step 3 loads of B and 4 broadcasts of A.
    func columns24(_ n: Int) {
        var tile = Tile4x24(bias: bias)
        var ap = a
        let bn = UnsafeRawPointer(b + n)
        for k in 0..<depth {
            tile.add(bn + Int(offsets[k]) * MemoryLayout<Float>.stride, ap)
            ap += aStride
        }
        tile.forEachVector { row, column, value in store(value, row: row, n + column) }
    }

    /// Columns n ..< n+16: 8 accumulators.
    func columns16(_ n: Int) {
        var c00 = SIMD8<Float>(repeating: bias[0])
        var c01 = c00
        var c10 = SIMD8<Float>(repeating: bias[1])
        var c11 = c10
        var c20 = SIMD8<Float>(repeating: bias[2])
        var c21 = c20
        var c30 = SIMD8<Float>(repeating: bias[3])
        var c31 = c30
        var ap = a
        let bn = UnsafeRawPointer(b + n)
        for k in 0..<depth {
            let bp = bn + Int(offsets[k]) * MemoryLayout<Float>.stride
            let b0 = bp.loadUnaligned(as: SIMD8<Float>.self)
            let b1 = bp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let a0 = SIMD8<Float>(repeating: ap[0])
            c00 = multiplyAdd(c00, b0, a0)
            c01 = multiplyAdd(c01, b1, a0)
            let a1 = SIMD8<Float>(repeating: ap[1])
            c10 = multiplyAdd(c10, b0, a1)
            c11 = multiplyAdd(c11, b1, a1)
            let a2 = SIMD8<Float>(repeating: ap[2])
            c20 = multiplyAdd(c20, b0, a2)
            c21 = multiplyAdd(c21, b1, a2)
            let a3 = SIMD8<Float>(repeating: ap[3])
            c30 = multiplyAdd(c30, b0, a3)
            c31 = multiplyAdd(c31, b1, a3)
            ap += aStride
        }
        store(c00, row: 0, n)
        store(c01, row: 0, n + 8)
        store(c10, row: 1, n)
        store(c11, row: 1, n + 8)
        store(c20, row: 2, n)
        store(c21, row: 2, n + 8)
        store(c30, row: 3, n)
        store(c31, row: 3, n + 8)
    }

    /// Columns n ..< n+8: 4 accumulators.
    func columns8(_ n: Int) {
        var c0 = SIMD8<Float>(repeating: bias[0])
        var c1 = SIMD8<Float>(repeating: bias[1])
        var c2 = SIMD8<Float>(repeating: bias[2])
        var c3 = SIMD8<Float>(repeating: bias[3])
        var ap = a
        let bn = UnsafeRawPointer(b + n)
        for k in 0..<depth {
            let b0 = (bn + Int(offsets[k]) * MemoryLayout<Float>.stride).loadUnaligned(as: SIMD8<Float>.self)
            c0 = multiplyAdd(c0, b0, SIMD8(repeating: ap[0]))
            c1 = multiplyAdd(c1, b0, SIMD8(repeating: ap[1]))
            c2 = multiplyAdd(c2, b0, SIMD8(repeating: ap[2]))
            c3 = multiplyAdd(c3, b0, SIMD8(repeating: ap[3]))
            ap += aStride
        }
        store(c0, row: 0, n)
        store(c1, row: 1, n)
        store(c2, row: 2, n)
        store(c3, row: 3, n)
    }

    @inline(__always)
    private func store(_ value: SIMD8<Float>, row: Int, _ n: Int) {
        guard stored.contains(row) else { return }
        let result = relu ? value.replacing(with: 0, where: value .< 0) : value
        UnsafeMutableRawPointer(c + row * cStride + n).storeBytes(of: result, as: SIMD8<Float>.self)
    }
}
