import NeuralKernelsCore

/// The matrix product every GEMM-shaped convolution ends in, with bias and activation fused in the
/// store:
///
///     C[o, n] = act(bias[o] + sum_k A[o, k] * B[k, n])      for o in `rows`, n in 0..<columns
///
/// Layouts (all row strides in floats):
/// - `A` is stored k-major: `A[o, k] = a[k * aStride + o]`, so the weights of consecutive output
///   channels at one depth are adjacent and any row range can start anywhere;
/// - `B[k, n] = b[k * bStride + n]` (an NCHW input with `bStride = H * W`, or an im2col tile);
/// - `C[o, n] = c[o * cStride + n]` (an NCHW output plane per row).
///
/// The pointers are borrowed for the duration of one call; the caller keeps them valid and `C`
/// must not overlap `A`, `B` or `bias`.
struct MatrixProduct {
    var a: UnsafePointer<Float>
    var aStride: Int
    var depth: Int
    var b: UnsafePointer<Float>
    var bStride: Int
    var columns: Int
    var c: UnsafeMutablePointer<Float>
    var cStride: Int
    var bias: UnsafePointer<Float>
    var relu: Bool

    /// Computes rows `rows` of `C`. The 24-wide column blocks are walked in chunks of about
    /// 16 KiB of `B` (so the chunk stays in L1 while every block of 4 rows sweeps it; 128 KiB
    /// chunks that stay in L2 were 2-6 % slower on the 30x40 and 60x80 layers in KernelBench); the remaining columns use 8-wide blocks (the last
    /// partial block is recomputed overlapping its neighbour when there are at least 8 columns,
    /// which writes identical values).
    func run(rows: Range<Int>) {
        if rows.isEmpty { return }
        let wide = columns / 24 * 24
        let chunk = max(24, 4_096 / max(depth, 1) / 24 * 24)
        var start = 0
        while start < wide {
            let end = min(wide, start + chunk)
            var o = rows.lowerBound
            while o + 4 <= rows.upperBound {
                var n = start
                while n < end {
                    kernel4x24(row: o, column: n)
                    n += 24
                }
                o += 4
            }
            if o + 2 <= rows.upperBound {
                var n = start
                while n < end {
                    kernel2x24(row: o, column: n)
                    n += 24
                }
                o += 2
            }
            if o < rows.upperBound {
                var n = start
                while n < end {
                    kernel1x24(row: o, column: n)
                    n += 24
                }
            }
            start = end
        }
        var n = wide
        while n + 8 <= columns {
            runNarrow(rows, column: n)
            n += 8
        }
        if n < columns {
            if columns >= 8 {
                runNarrow(rows, column: columns - 8)
            } else {
                for o in rows { scalarRow(o, column: n, count: columns - n) }
            }
        }
    }

    /// One 8-wide column block for all rows: 8 rows at a time keeps 8 FMA chains in flight.
    private func runNarrow(_ rows: Range<Int>, column n: Int) {
        var o = rows.lowerBound
        while o + 8 <= rows.upperBound {
            kernel8x8(row: o, column: n)
            o += 8
        }
        while o + 4 <= rows.upperBound {
            kernel4x8(row: o, column: n)
            o += 4
        }
        while o < rows.upperBound {
            kernel1x8(row: o, column: n)
            o += 1
        }
    }

    // Micro-kernels. Unsafe pointer arithmetic stays inside these loops; every address is
    // `a + k * aStride + o + r` (r < 4, o + r < rows), `b + k * bStride + n + v` (n + v < columns)
    // or `c + (o + r) * cStride + n + v`, all inside the operands described above.

    /// C[o..<o+4, n..<n+24]: one `Tile4x24`; per depth step 3 loads of B, 4 broadcasts of A, 12 FMAs.
    private func kernel4x24(row o: Int, column n: Int) {
        var tile = Tile4x24(bias: bias + o)
        var ap = a + o
        var bp = UnsafeRawPointer(b + n)
        let bStep = bStride * MemoryLayout<Float>.stride
        for _ in 0..<depth {
            tile.add(bp, ap)
            ap += aStride
            bp += bStep
        }
        let cp = c + o * cStride + n
        tile.forEachVector { row, column, value in store(value, cp + row * cStride + column) }
    }

    /// C[o..<o+2, n..<n+24]: 6 accumulators.
    private func kernel2x24(row o: Int, column n: Int) {
        var c00 = SIMD8<Float>(repeating: bias[o])
        var c01 = c00
        var c02 = c00
        var c10 = SIMD8<Float>(repeating: bias[o + 1])
        var c11 = c10
        var c12 = c10
        var ap = a + o
        var bp = UnsafeRawPointer(b + n)
        let bStep = bStride * MemoryLayout<Float>.stride
        for _ in 0..<depth {
            let b0 = bp.loadUnaligned(as: SIMD8<Float>.self)
            let b1 = bp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let b2 = bp.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            let a0 = SIMD8<Float>(repeating: ap[0])
            c00 = multiplyAdd(c00, b0, a0)
            c01 = multiplyAdd(c01, b1, a0)
            c02 = multiplyAdd(c02, b2, a0)
            let a1 = SIMD8<Float>(repeating: ap[1])
            c10 = multiplyAdd(c10, b0, a1)
            c11 = multiplyAdd(c11, b1, a1)
            c12 = multiplyAdd(c12, b2, a1)
            ap += aStride
            bp += bStep
        }
        let cp = c + o * cStride + n
        store(c00, cp)
        store(c01, cp + 8)
        store(c02, cp + 16)
        store(c10, cp + cStride)
        store(c11, cp + cStride + 8)
        store(c12, cp + cStride + 16)
    }

    /// C[o..<o+8, n..<n+8]: 8 accumulators.
    private func kernel8x8(row o: Int, column n: Int) {
        var c0 = SIMD8<Float>(repeating: bias[o])
        var c1 = SIMD8<Float>(repeating: bias[o + 1])
        var c2 = SIMD8<Float>(repeating: bias[o + 2])
        var c3 = SIMD8<Float>(repeating: bias[o + 3])
        var c4 = SIMD8<Float>(repeating: bias[o + 4])
        var c5 = SIMD8<Float>(repeating: bias[o + 5])
        var c6 = SIMD8<Float>(repeating: bias[o + 6])
        var c7 = SIMD8<Float>(repeating: bias[o + 7])
        var ap = a + o
        var bp = UnsafeRawPointer(b + n)
        let bStep = bStride * MemoryLayout<Float>.stride
        for _ in 0..<depth {
            let b0 = bp.loadUnaligned(as: SIMD8<Float>.self)
            c0 = multiplyAdd(c0, b0, SIMD8(repeating: ap[0]))
            c1 = multiplyAdd(c1, b0, SIMD8(repeating: ap[1]))
            c2 = multiplyAdd(c2, b0, SIMD8(repeating: ap[2]))
            c3 = multiplyAdd(c3, b0, SIMD8(repeating: ap[3]))
            c4 = multiplyAdd(c4, b0, SIMD8(repeating: ap[4]))
            c5 = multiplyAdd(c5, b0, SIMD8(repeating: ap[5]))
            c6 = multiplyAdd(c6, b0, SIMD8(repeating: ap[6]))
            c7 = multiplyAdd(c7, b0, SIMD8(repeating: ap[7]))
            ap += aStride
            bp += bStep
        }
        let cp = c + o * cStride + n
        store(c0, cp)
        store(c1, cp + cStride)
        store(c2, cp + 2 * cStride)
        store(c3, cp + 3 * cStride)
        store(c4, cp + 4 * cStride)
        store(c5, cp + 5 * cStride)
        store(c6, cp + 6 * cStride)
        store(c7, cp + 7 * cStride)
    }

    /// C[o..<o+4, n..<n+8]: two accumulators per row (even and odd depth steps), so eight
    /// independent FMA chains even for deep products on narrow maps (the 3x3 heads on 4x5).
    private func kernel4x8(row o: Int, column n: Int) {
        var c0 = SIMD8<Float>(repeating: bias[o])
        var c1 = SIMD8<Float>(repeating: bias[o + 1])
        var c2 = SIMD8<Float>(repeating: bias[o + 2])
        var c3 = SIMD8<Float>(repeating: bias[o + 3])
        var d0 = SIMD8<Float>.zero
        var d1 = d0
        var d2 = d0
        var d3 = d0
        var ap = a + o
        var bp = UnsafeRawPointer(b + n)
        let bStep = bStride * MemoryLayout<Float>.stride
        for _ in 0..<(depth / 2) {
            let b0 = bp.loadUnaligned(as: SIMD8<Float>.self)
            let b1 = bp.loadUnaligned(fromByteOffset: bStep, as: SIMD8<Float>.self)
            let aq = ap + aStride
            c0 = multiplyAdd(c0, b0, SIMD8(repeating: ap[0]))
            c1 = multiplyAdd(c1, b0, SIMD8(repeating: ap[1]))
            c2 = multiplyAdd(c2, b0, SIMD8(repeating: ap[2]))
            c3 = multiplyAdd(c3, b0, SIMD8(repeating: ap[3]))
            d0 = multiplyAdd(d0, b1, SIMD8(repeating: aq[0]))
            d1 = multiplyAdd(d1, b1, SIMD8(repeating: aq[1]))
            d2 = multiplyAdd(d2, b1, SIMD8(repeating: aq[2]))
            d3 = multiplyAdd(d3, b1, SIMD8(repeating: aq[3]))
            ap += 2 * aStride
            bp += 2 * bStep
        }
        if depth % 2 == 1 {
            let b0 = bp.loadUnaligned(as: SIMD8<Float>.self)
            c0 = multiplyAdd(c0, b0, SIMD8(repeating: ap[0]))
            c1 = multiplyAdd(c1, b0, SIMD8(repeating: ap[1]))
            c2 = multiplyAdd(c2, b0, SIMD8(repeating: ap[2]))
            c3 = multiplyAdd(c3, b0, SIMD8(repeating: ap[3]))
        }
        let cp = c + o * cStride + n
        store(c0 + d0, cp)
        store(c1 + d1, cp + cStride)
        store(c2 + d2, cp + 2 * cStride)
        store(c3 + d3, cp + 3 * cStride)
    }

    /// C[o, n..<n+24].
    private func kernel1x24(row o: Int, column n: Int) {
        var c0 = SIMD8<Float>(repeating: bias[o])
        var c1 = c0
        var c2 = c0
        var ap = a + o
        var bp = UnsafeRawPointer(b + n)
        let bStep = bStride * MemoryLayout<Float>.stride
        for _ in 0..<depth {
            let a0 = SIMD8<Float>(repeating: ap[0])
            c0 = multiplyAdd(c0, bp.loadUnaligned(as: SIMD8<Float>.self), a0)
            c1 = multiplyAdd(c1, bp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), a0)
            c2 = multiplyAdd(c2, bp.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self), a0)
            ap += aStride
            bp += bStep
        }
        let cp = c + o * cStride + n
        store(c0, cp)
        store(c1, cp + 8)
        store(c2, cp + 16)
    }

    /// C[o, n..<n+8]: four accumulators over depth steps k mod 4 (independent FMA chains).
    private func kernel1x8(row o: Int, column n: Int) {
        var c0 = SIMD8<Float>(repeating: bias[o])
        var c1 = SIMD8<Float>.zero
        var c2 = c1
        var c3 = c1
        var ap = a + o
        var bp = UnsafeRawPointer(b + n)
        let bStep = bStride * MemoryLayout<Float>.stride
        for _ in 0..<(depth / 4) {
            c0 = multiplyAdd(c0, bp.loadUnaligned(as: SIMD8<Float>.self), SIMD8(repeating: ap[0]))
            c1 = multiplyAdd(
                c1, bp.loadUnaligned(fromByteOffset: bStep, as: SIMD8<Float>.self), SIMD8(repeating: ap[aStride]))
            c2 = multiplyAdd(
                c2, bp.loadUnaligned(fromByteOffset: 2 * bStep, as: SIMD8<Float>.self),
                SIMD8(repeating: ap[2 * aStride]))
            c3 = multiplyAdd(
                c3, bp.loadUnaligned(fromByteOffset: 3 * bStep, as: SIMD8<Float>.self),
                SIMD8(repeating: ap[3 * aStride]))
            ap += 4 * aStride
            bp += 4 * bStep
        }
        for _ in 0..<(depth % 4) {
            c0 = multiplyAdd(c0, bp.loadUnaligned(as: SIMD8<Float>.self), SIMD8(repeating: ap[0]))
            ap += aStride
            bp += bStep
        }
        store((c0 + c1) + (c2 + c3), c + o * cStride + n)
    }

    /// C[o, n..<n+count] one element at a time, for products narrower than one vector.
    private func scalarRow(_ o: Int, column n: Int, count: Int) {
        for j in n..<(n + count) {
            var sum = bias[o]
            for k in 0..<depth { sum = multiplyAdd(sum, a[k * aStride + o], b[k * bStride + j]) }
            c[o * cStride + j] = relu ? max(0, sum) : sum
        }
    }

    /// Stores one vector of `C` after the activation. Always inlined: as a call (which the
    /// optimiser chose for the 12 stores of `kernel4x24`) it cost 13 % of the thin 16 -> 32
    /// pointwise at 120x160, whose depth-16 product is short next to its stores.
    @inline(__always)
    private func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        let result = relu ? value.replacing(with: 0, where: value .< 0) : value
        UnsafeMutableRawPointer(pointer).storeBytes(of: result, as: SIMD8<Float>.self)
    }
}
