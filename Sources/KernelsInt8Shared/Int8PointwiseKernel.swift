/// A 1x1 convolution (stride 1, no padding, one group) in 8-bit integers, for one build of the
/// int8 kernels (this file is compiled into `NeuralKernelsInt8VNNI` and `NeuralKernelsInt8AVX2`;
/// `NeuralKernels.Int8PointwiseConvolution` picks one at run time and documents the API).
///
///     out[o, p] = act(bias[o] + sx * sw[o] * sum_i qw[o, i] * (qx[i, p] - zx))
///
/// Weights are quantised once, symmetrically per output channel (`qw` in -127...127, `sw[o]` =
/// largest |w[o, i]| / 127). The input is quantised at each run, per tensor, to unsigned bytes
/// (`qx` in 0...255 over the input's range widened to hold 0: `sx` = (max - min) / 255, zero point
/// `zx` = round(-min / sx)); after a ReLU min is 0, so `zx` = 0 and all 255 steps cover the
/// values that occur. No calibration is needed and the scale always fits the picture at hand.
///
/// A run goes tile by tile (64 pixels, four 16-pixel blocks): the tile's input is quantised into
/// a small buffer that stays in L1 (`quantizeTile`), then every output channel is computed from
/// it four channels at a time, with the accumulators in registers (`Int8MultiplyAdd.swift`), and
/// written out as floats. The sums are exact in 32 bits (|sum| <= 255 * 127 * channels).
package final class Int8PointwiseKernel: Sendable {
    package let inputChannels: Int
    package let outputChannels: Int
    package let pixels: Int
    package let relu: Bool
    /// Groups of four input channels (inputChannels rounded up to a multiple of 4, divided by 4):
    /// one 32-bit lane of the quantised input holds a pixel's four channels of a group.
    let groups: Int
    /// Output channels rounded up to a multiple of 4 (computed four at a time).
    let paddedOutputs: Int
    /// Weights in the order the multiply-add of this build reads them (`packWeights`).
    let packedWeights: [Int32]
    /// `sum_i qw[o, i]` per output channel: the zero point's share of each sum is `zx` times it.
    let weightSums: [Int32]
    /// `sw[o]` per output channel (padded with zeros).
    let weightScales: [Float]
    let bias: [Float]

    /// Pixels of one tile: four 16-pixel blocks.
    static let tilePixels = 64

    /// Bytes of one tile's quantised input (`groups * 64` pixels of 4 bytes; a multiple of 64).
    /// Each concurrent `run` needs its own buffer of this size.
    package var tileBytes: Int { groups * Self.tilePixels * 4 }

    /// Number of 16-pixel blocks (the unit of `run`'s ranges).
    package var blockCount: Int { (pixels + 15) / 16 }

    package init(inputChannels: Int, outputChannels: Int, pixels: Int, weights: [Float], bias: [Float], relu: Bool) {
        precondition(weights.count == inputChannels * outputChannels && bias.count == outputChannels)
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.pixels = pixels
        self.relu = relu
        groups = (inputChannels + 3) / 4
        paddedOutputs = (outputChannels + 3) / 4 * 4
        var scales = [Float](repeating: 0, count: paddedOutputs)
        var quantized = [Int8](repeating: 0, count: paddedOutputs * groups * 4)
        var sums = [Int32](repeating: 0, count: paddedOutputs)
        for o in 0..<outputChannels {
            var largest: Float = 0
            for i in 0..<inputChannels { largest = max(largest, abs(weights[o * inputChannels + i])) }
            scales[o] = largest / 127
            let inverse: Float = largest > 0 ? 127 / largest : 0
            for i in 0..<inputChannels {
                let q = Int32((weights[o * inputChannels + i] * inverse).rounded(.toNearestOrEven))
                let value = Int8(max(-127, min(127, q)))
                quantized[o * groups * 4 + i] = value
                sums[o] += Int32(value)
            }
        }
        packedWeights = Self.packWeights(quantized, outputs: paddedOutputs, groups: groups)
        weightSums = sums
        weightScales = scales
        self.bias = bias
    }

    /// Computes every output channel for the 16-pixel blocks `blocks` straight from the float
    /// input (NCHW, `inputChannels * pixels`) quantised with `quantization(of:)`'s result, and writes
    /// `output[o * pixels + p]` for those pixels. `tile` is `tileBytes` of scratch owned by this
    /// call (64-byte aligned is best); concurrent calls need their own tile and disjoint ranges.
    /// Every pointer is borrowed for the call.
    package func run(
        input: UnsafePointer<Float>, scale: Float, zeroPoint: Int32, tile: UnsafeMutableRawPointer,
        output: UnsafeMutablePointer<Float>, blocks: Range<Int>
    ) {
        let step = QuantizationStep(scale: scale, zeroPoint: zeroPoint)
        packedWeights.withUnsafeBufferPointer { weights in
            var block = blocks.lowerBound
            while block < blocks.upperBound {
                let width = min(4, blocks.upperBound - block)
                let pixel = block * 16
                quantizeTile(input: input, step: step, firstPixel: pixel, blocks: width, into: tile)
                var o = 0
                while o < paddedOutputs {
                    let w = weights.baseAddress! + o * groups * Self.weightWordsPerChannelGroup
                    let rows = OutputRows(first: o, zeroPoint: zeroPoint, scale: scale, output: output)
                    if width == 4 {
                        let a = multiplyAdd4x4(tile: UnsafeRawPointer(tile), weights: w, groups: groups)
                        store((a.0, a.1, a.2, a.3), rows, pixel: pixel)
                        store((a.4, a.5, a.6, a.7), rows, pixel: pixel + 16)
                        store((a.8, a.9, a.10, a.11), rows, pixel: pixel + 32)
                        store((a.12, a.13, a.14, a.15), rows, pixel: pixel + 48)
                    } else {
                        for b in 0..<width {
                            let a = multiplyAdd4x1(tile: UnsafeRawPointer(tile) + b * 64, weights: w, groups: groups)
                            store(a, rows, pixel: pixel + b * 16)
                        }
                    }
                    o += 4
                }
                block += width
            }
        }
    }

    /// Where `store` writes: output channels `first..<first + 4` of `output`, and the run's
    /// quantisation.
    struct OutputRows {
        let first: Int
        let zeroPoint: Int32
        let scale: Float
        let output: UnsafeMutablePointer<Float>
    }

    /// Writes the four output channels of `rows` (those that exist) for the 16 pixels from
    /// `pixel`: `act(bias + sx * sw * (sum - zx * sum_i qw))`, the integer correction first (exact).
    @inline(__always)
    private func store(_ sums: Int8Sums4x1, _ rows: OutputRows, pixel: Int) {
        guard pixel < pixels else { return }
        let o = rows.first
        store(sums.0, output: o, pixel: pixel, rows)
        guard o + 1 < outputChannels else { return }
        store(sums.1, output: o + 1, pixel: pixel, rows)
        guard o + 2 < outputChannels else { return }
        store(sums.2, output: o + 2, pixel: pixel, rows)
        guard o + 3 < outputChannels else { return }
        store(sums.3, output: o + 3, pixel: pixel, rows)
    }

    @inline(__always)
    private func store(_ acc: SIMD16<Int32>, output o: Int, pixel: Int, _ rows: OutputRows) {
        let sums = acc &- SIMD16<Int32>(repeating: rows.zeroPoint &* weightSums[o])
        var floats = SIMD16<Float>()
        // Lane by lane: the generic SIMD conversion is an unspecialised call; this loop becomes
        // one `vcvtdq2ps`.
        for lane in 0..<16 { floats[lane] = Float(sums[lane]) }
        var v = floats * (rows.scale * weightScales[o]) + SIMD16<Float>(repeating: bias[o])
        if relu { v.replace(with: 0, where: v .< 0) }
        let destination = rows.output + o * pixels + pixel
        if pixel + 16 <= pixels {
            UnsafeMutableRawPointer(destination).storeBytes(of: v, as: SIMD16<Float>.self)
        } else {
            for lane in 0..<(pixels - pixel) { destination[lane] = v[lane] }
        }
    }
}
