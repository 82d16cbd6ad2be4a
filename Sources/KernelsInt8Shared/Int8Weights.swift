/// The quantised weights of an int8 convolution and what turns its integer sums into floats,
/// shared by `Int8PointwiseKernel` (1x1) and `Int8SpatialKernel` (KxK).
///
/// Each output channel is quantised symmetrically (`qw` in -127...127, `sw[o]` = largest
/// |w[o, ...]| / 127, rounded to nearest even). The sum of an output runs over reduction steps
/// `r = t * groups + g`: kernel tap `t` (row-major over the kernel window) and group `g` of four
/// input channels, one 32-bit word of four input bytes per pixel.
struct Int8Weights: Sendable {
    let outputChannels: Int
    /// Output channels rounded up to a multiple of 4 (computed four at a time).
    let paddedOutputs: Int
    /// Reduction steps per output: taps * groups.
    let steps: Int
    /// Weights in the order `int8MultiplyAdd4x4` of this build reads them (`int8PackWeights`).
    let packed: [Int32]
    /// `sum qw[o, ...]` per output channel: the zero point's share of each sum is `zx` times it.
    let sums: [Int32]
    /// `sw[o]` per output channel.
    let scales: [Float]
    let bias: [Float]
    let relu: Bool

    /// `weights` are OIHW (`outputChannels x inputChannels x taps`, the taps row-major).
    init(weights: [Float], bias: [Float], outputChannels: Int, inputChannels: Int, taps: Int, relu: Bool) {
        precondition(weights.count == outputChannels * inputChannels * taps && bias.count == outputChannels)
        self.outputChannels = outputChannels
        paddedOutputs = (outputChannels + 3) / 4 * 4
        let groups = (inputChannels + 3) / 4
        steps = taps * groups
        var scales = [Float](repeating: 0, count: paddedOutputs)
        var sums = [Int32](repeating: 0, count: paddedOutputs)
        // `quantized[(o * steps + r) * 4 + j]`: input channel 4g + j of tap t, r = t * groups + g.
        var quantized = [Int8](repeating: 0, count: paddedOutputs * steps * 4)
        let perOutput = inputChannels * taps
        for o in 0..<outputChannels {
            var largest: Float = 0
            for k in 0..<perOutput { largest = max(largest, abs(weights[o * perOutput + k])) }
            scales[o] = largest / 127
            let inverse: Float = largest > 0 ? 127 / largest : 0
            for i in 0..<inputChannels {
                for t in 0..<taps {
                    let w = weights[(o * inputChannels + i) * taps + t]
                    let value = Int8(max(-127, min(127, Int32((w * inverse).rounded(.toNearestOrEven)))))
                    quantized[(o * steps + t * groups + i / 4) * 4 + i % 4] = value
                    sums[o] += Int32(value)
                }
            }
        }
        packed = int8PackWeights(quantized, outputs: paddedOutputs, steps: steps)
        self.sums = sums
        self.scales = scales
        self.bias = bias
        self.relu = relu
    }

    /// The packed weights of output channels `o..<o + 4` (`o` a multiple of 4).
    func offset(ofOutput o: Int) -> Int { o * steps * int8WeightWordsPerStep }

    /// Writes output channels `o..<o + 4` (those that exist) for `count` (1...16) pixels:
    /// `act(bias + sx * sw * (sum - zx * sum qw))`, the integer correction first (exact), to
    /// `destination` (channel o's first pixel; the next channel's is `channelStride` floats on).
    @inline(__always)
    func store(
        _ sums: Int8Sums4x1, outputs o: Int, zeroPoint: Int32, scale: Float,
        to destination: UnsafeMutablePointer<Float>,
        channelStride: Int, count: Int
    ) {
        store(sums.0, output: o, zeroPoint: zeroPoint, scale: scale, to: destination, count: count)
        guard o + 1 < outputChannels else { return }
        store(sums.1, output: o + 1, zeroPoint: zeroPoint, scale: scale, to: destination + channelStride, count: count)
        guard o + 2 < outputChannels else { return }
        store(
            sums.2, output: o + 2, zeroPoint: zeroPoint, scale: scale, to: destination + 2 * channelStride, count: count
        )
        guard o + 3 < outputChannels else { return }
        store(
            sums.3, output: o + 3, zeroPoint: zeroPoint, scale: scale, to: destination + 3 * channelStride, count: count
        )
    }

    @inline(__always)
    private func store(
        _ acc: SIMD16<Int32>, output o: Int, zeroPoint: Int32, scale: Float,
        to destination: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        let corrected = acc &- SIMD16<Int32>(repeating: zeroPoint &* sums[o])
        var floats = SIMD16<Float>()
        // Lane by lane: the generic SIMD conversion is an unspecialised call; this loop becomes
        // one `vcvtdq2ps`.
        for lane in 0..<16 { floats[lane] = Float(corrected[lane]) }
        var v = floats * (scale * scales[o]) + SIMD16<Float>(repeating: bias[o])
        if relu { v.replace(with: 0, where: v .< 0) }
        if count == 16 {
            UnsafeMutableRawPointer(destination).storeBytes(of: v, as: SIMD16<Float>.self)
        } else {
            for lane in 0..<count { destination[lane] = v[lane] }
        }
    }
}
