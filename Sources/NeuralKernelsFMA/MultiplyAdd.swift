/// `a + b * c` as one fused multiply-add per lane: this target is built for AVX2+FMA on x86-64
/// (see Package.swift) and for the base instruction set elsewhere (aarch64 always has FMA).
@inline(__always)
func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
    a.addingProduct(b, c)
}

/// Scalar `a + b * c`, fused.
@inline(__always)
func multiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    a.addingProduct(b, c)
}
