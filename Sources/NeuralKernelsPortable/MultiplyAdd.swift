/// `a + b * c` as a separate multiply and add: this target is built for the base instruction set
/// (x86-64 SSE2), where a fused `addingProduct` would become a libm `fmaf` call per lane.
@inline(__always)
func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
    a + b * c
}

/// Scalar `a + b * c`, unfused.
@inline(__always)
func multiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    a + b * c
}
