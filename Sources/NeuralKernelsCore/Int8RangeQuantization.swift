/// The unsigned 8-bit quantisation of values lying in `lowest...highest`: that range widened to
/// include 0, in 255 steps of `scale`, with `zeroPoint` the byte standing for 0 (rounded to
/// nearest even, clamped to 0...255). An empty or non-finite range gives scale 0 and zero point 0.
/// The int8 kernels' per-run scan and a range known in advance (`Int8InputQuantization(range:)`)
/// both end here, so the two agree exactly.
@inlinable
public func int8Quantization(lowest: Float, highest: Float) -> (scale: Float, zeroPoint: Int32) {
    let top = max(highest, 0)
    let bottom = min(lowest, 0)
    let scale = (top - bottom) / 255
    guard scale > 0, scale.isFinite else { return (0, 0) }
    let zero = (-bottom / scale).rounded(.toNearestOrEven)
    return (scale, Int32(min(255, max(0, zero))))
}
