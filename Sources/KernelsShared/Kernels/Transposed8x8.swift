/// The transpose of an 8x8 block of floats held in eight SIMD8 rows: `v[i][j] = r[j][i]`.
///
/// Built from two-source lane selections that LLVM lowers to shuffles (on AVX: 8 unpacks,
/// 8 in-lane shuffles and 8 128-bit lane permutes):
/// 1. interleave rows pairwise, `t0 = (r0[0], r1[0], r0[1], r1[1] | r0[4], r1[4], r0[5], r1[5])`;
/// 2. pair those, `s0 = (r0[0], r1[0], r2[0], r3[0] | r0[4], r1[4], r2[4], r3[4])`;
/// 3. join 128-bit halves of the row groups 0-3 and 4-7.
struct Transposed8x8 {
    var v0, v1, v2, v3, v4, v5, v6, v7: SIMD8<Float>

    @inline(__always)
    init(
        _ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>, _ r4: SIMD8<Float>,
        _ r5: SIMD8<Float>, _ r6: SIMD8<Float>, _ r7: SIMD8<Float>
    ) {
        let t0 = Self.unpackLow(r0, r1)
        let t1 = Self.unpackHigh(r0, r1)
        let t2 = Self.unpackLow(r2, r3)
        let t3 = Self.unpackHigh(r2, r3)
        let t4 = Self.unpackLow(r4, r5)
        let t5 = Self.unpackHigh(r4, r5)
        let t6 = Self.unpackLow(r6, r7)
        let t7 = Self.unpackHigh(r6, r7)
        let s0 = Self.lowPairs(t0, t2)
        let s1 = Self.highPairs(t0, t2)
        let s2 = Self.lowPairs(t1, t3)
        let s3 = Self.highPairs(t1, t3)
        let s4 = Self.lowPairs(t4, t6)
        let s5 = Self.highPairs(t4, t6)
        let s6 = Self.lowPairs(t5, t7)
        let s7 = Self.highPairs(t5, t7)
        v0 = SIMD8(lowHalf: s0.lowHalf, highHalf: s4.lowHalf)
        v1 = SIMD8(lowHalf: s1.lowHalf, highHalf: s5.lowHalf)
        v2 = SIMD8(lowHalf: s2.lowHalf, highHalf: s6.lowHalf)
        v3 = SIMD8(lowHalf: s3.lowHalf, highHalf: s7.lowHalf)
        v4 = SIMD8(lowHalf: s0.highHalf, highHalf: s4.highHalf)
        v5 = SIMD8(lowHalf: s1.highHalf, highHalf: s5.highHalf)
        v6 = SIMD8(lowHalf: s2.highHalf, highHalf: s6.highHalf)
        v7 = SIMD8(lowHalf: s3.highHalf, highHalf: s7.highHalf)
    }

    /// Writes row `i` to `pointer[i * rowStride ..< i * rowStride + 8]`.
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>, rowStride: Int) {
        let p = UnsafeMutableRawPointer(pointer)
        let step = rowStride * MemoryLayout<Float>.stride
        p.storeBytes(of: v0, as: SIMD8<Float>.self)
        (p + step).storeBytes(of: v1, as: SIMD8<Float>.self)
        (p + 2 * step).storeBytes(of: v2, as: SIMD8<Float>.self)
        (p + 3 * step).storeBytes(of: v3, as: SIMD8<Float>.self)
        (p + 4 * step).storeBytes(of: v4, as: SIMD8<Float>.self)
        (p + 5 * step).storeBytes(of: v5, as: SIMD8<Float>.self)
        (p + 6 * step).storeBytes(of: v6, as: SIMD8<Float>.self)
        (p + 7 * step).storeBytes(of: v7, as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func unpackLow(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5])
    }

    @inline(__always)
    private static func unpackHigh(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7])
    }

    /// (a[0], a[1], b[0], b[1] | a[4], a[5], b[4], b[5]).
    @inline(__always)
    private static func lowPairs(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5])
    }

    /// (a[2], a[3], b[2], b[3] | a[6], a[7], b[6], b[7]).
    @inline(__always)
    private static func highPairs(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7])
    }
}
