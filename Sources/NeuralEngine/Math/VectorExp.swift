/// `e^x` on eight floats at once, for the Exp and Softmax layers (libm's `expf` costs about 3 ns
/// an element there; this is about ten times faster).
///
/// Method: `x = n ln 2 + r` with `n = round(x / ln 2)` and `|r| <= ln 2 / 2`; `ln 2` is split
/// into a high part with a short mantissa (so `n * high` is exact) and a low part. `e^r` is the
/// degree-7 Taylor polynomial (remainder below 2e-8 relative on that interval), and `2^n` is
/// built in the exponent bits. Rounding uses the 1.5 * 2^23 trick rather than `rounded()`,
/// which has no single instruction in the base x86-64 set this target is built for. The result is
/// within 2 ulp of `expf` for inputs in [-87.3, 88]; beyond that the input is clamped, so very large
/// inputs give about 1.7e38 instead of infinity and very small ones about 1.2e-38 instead of a denormal or 0 (neither occurs in
/// the box decoding and Softmax of these networks, whose inputs stay within +-30). NaN stays NaN.
enum VectorExp {
    static let log2e: Float = 1.442_695_04
    static let ln2High: Float = 0.693_359_375
    static let ln2Low: Float = -2.121_944_4e-4
    static let roundingShift: Float = 12_582_912
    static let roundingShiftBits = Int32(bitPattern: 0x4B40_0000)

    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Comparisons rather than clamped(), whose pointwiseMin/Max stay out-of-line calls here.
        var clamped = x.replacing(with: -87.3, where: x .< -87.3)
        clamped.replace(with: 88, where: clamped .> 88)
        // |x / ln 2| < 2^22, so adding 1.5 * 2^23 leaves round(x / ln 2) in the low mantissa bits.
        let shifted = clamped * log2e + roundingShift
        let n = shifted - roundingShift
        let r = (clamped - n * ln2High) - n * ln2Low
        var p = SIMD8<Float>(repeating: 1.0 / 5040)
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // Same-size reinterpretations of eight 32-bit lanes (SIMD floats have no bitPattern).
        let exponent = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- roundingShiftBits &+ 127
        let scale = unsafeBitCast(exponent &<< 23, to: SIMD8<Float>.self)
        let result = p * scale
        // NaN lanes come out of the arithmetic as NaN already; this keeps the input's payload.
        return result.replacing(with: x, where: x .!= x)
    }

    /// `output[i] = e^input[i]` for `i < count` (the buffers may be the same).
    static func apply(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(input + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(output + i).storeBytes(of: exp(v), as: SIMD8<Float>.self)
            i += 8
        }
        if i < count {
            var v = SIMD8<Float>.zero
            for lane in 0..<(count - i) { v[lane] = input[i + lane] }
            let e = exp(v)
            for lane in 0..<(count - i) { output[i + lane] = e[lane] }
        }
    }
}
