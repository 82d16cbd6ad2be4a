/// A 1x1 convolution (stride 1, no padding, one group) in 8-bit integers, for one build of the
/// int8 kernels (this file is compiled into `NeuralKernelsInt8VNNI` and `NeuralKernelsInt8AVX2`;
/// `NeuralKernels.Int8PointwiseConvolution` picks one at run time and documents the API).
///
///     out[o, p] = act(bias[o] + sx * sw[o] * sum_i qw[o, i] * qx[i, p])
///
/// Weights are quantised once, symmetrically per output channel (`qw` in -127...127, `sw[o]` =
/// largest |w[o, i]| / 127). The input is quantised at each run, symmetrically per tensor (`sx` =
/// largest |x| / 127), so no calibration is needed and the scale always fits the picture at hand.
///
/// Both factors are int8 values held in 16-bit halves of 32-bit lanes, packed in pairs along the
/// input channels (see `multiplyAddPairs` for the instructions this becomes). Sums are exact in
/// 32 bits (|sum| <= 127 * 127 * channels).
package final class Int8PointwiseKernel: Sendable {
    package let inputChannels: Int
    package let outputChannels: Int
    package let pixels: Int
    package let relu: Bool
    /// Input channel pairs (inputChannels rounded up to even, halved).
    let pairs: Int
    /// Pixels rounded up to a whole number of 16-pixel blocks.
    package let paddedPixels: Int
    /// Output channels rounded up to a multiple of 4.
    let paddedOutputs: Int
    /// `packedWeights[(o / 4 * pairs + k) * 4 + o % 4]` holds `qw[o, 2k]` in its low and
    /// `qw[o, 2k + 1]` in its high 16 bits (zero beyond the real channels).
    let packedWeights: [Int32]
    /// `sw[o]` per output channel (padded with zeros).
    let weightScales: [Float]
    let bias: [Float]

    /// Int16 elements of scratch one run needs for the quantised input.
    package var quantizedCount: Int { pairs * paddedPixels * 2 }

    package init(inputChannels: Int, outputChannels: Int, pixels: Int, weights: [Float], bias: [Float], relu: Bool) {
        precondition(weights.count == inputChannels * outputChannels && bias.count == outputChannels)
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.pixels = pixels
        self.relu = relu
        pairs = (inputChannels + 1) / 2
        paddedPixels = (pixels + 15) / 16 * 16
        paddedOutputs = (outputChannels + 3) / 4 * 4
        var scales = [Float](repeating: 0, count: paddedOutputs)
        var packed = [Int32](repeating: 0, count: paddedOutputs * pairs)
        for o in 0..<outputChannels {
            var largest: Float = 0
            for i in 0..<inputChannels { largest = max(largest, abs(weights[o * inputChannels + i])) }
            let scale = largest / 127
            scales[o] = scale
            let inverse: Float = largest > 0 ? 127 / largest : 0
            for i in 0..<inputChannels {
                let q = Int32((weights[o * inputChannels + i] * inverse).rounded(.toNearestOrEven))
                let index = (o / 4 * pairs + i / 2) * 4 + o % 4
                let bits = Int32(UInt16(bitPattern: Int16(max(-127, min(127, q)))))
                packed[index] |= i % 2 == 0 ? bits : bits << 16
            }
        }
        packedWeights = packed
        weightScales = scales
        self.bias = bias
    }

    /// Quantises the NCHW float input into `quantized` (`quantizedCount` elements, overwritten)
    /// and returns its scale `sx`. Element `(k * paddedPixels + p) * 2 + j` holds channel
    /// `2k + j` at pixel `p` (zero for padding).
    ///
    /// `input` (inputChannels * pixels floats) and `quantized` are borrowed for the call.
    package func quantize(input: UnsafePointer<Float>, quantized: UnsafeMutablePointer<Int16>) -> Float {
        let count = inputChannels * pixels
        // Masked selects, not `pointwiseMax`: that one checks every lane for NaN one at a time.
        var highest = SIMD16<Float>(repeating: 0)
        var lowest = SIMD16<Float>(repeating: 0)
        var index = 0
        while index + 16 <= count {
            let v = UnsafeRawPointer(input + index).loadUnaligned(as: SIMD16<Float>.self)
            highest.replace(with: v, where: v .> highest)
            lowest.replace(with: v, where: v .< lowest)
            index += 16
        }
        var top = max(highest.max(), -lowest.min())
        while index < count {
            top = max(top, abs(input[index]))
            index += 1
        }
        let scale = top / 127
        let multiplier: Float = top > 0 ? 127 / top : 0
        let wholeBlocks = pixels / 16 * 16
        let raw = UnsafeMutableRawPointer(quantized)
        for k in 0..<pairs {
            let even = input + 2 * k * pixels
            let hasOdd = 2 * k + 1 < inputChannels
            let odd = input + (2 * k + 1) * pixels
            let row = raw + k * paddedPixels * 4
            var p = 0
            while p < wholeBlocks {
                let a = UnsafeRawPointer(even + p).loadUnaligned(as: SIMD16<Float>.self)
                var word = roundToInteger(a * multiplier) & 0xFFFF
                if hasOdd {
                    let b = UnsafeRawPointer(odd + p).loadUnaligned(as: SIMD16<Float>.self)
                    word |= roundToInteger(b * multiplier) &<< 16
                }
                row.storeBytes(of: word, toByteOffset: p * 4, as: SIMD16<Int32>.self)
                p += 16
            }
            while p < paddedPixels {
                var word: Int32 = 0
                if p < pixels {
                    word = roundToInteger(even[p] * multiplier) & 0xFFFF
                    if hasOdd { word |= roundToInteger(odd[p] * multiplier) << 16 }
                }
                row.storeBytes(of: word, toByteOffset: p * 4, as: Int32.self)
                p += 1
            }
        }
        return scale
    }

    /// Computes every output channel for the 16-pixel blocks `blocks` from the quantised input
    /// (`quantize`'s output with its `scale`); writes `output[o * pixels + p]` for those pixels.
    /// Concurrent calls must use disjoint block ranges.
    package func run(
        quantized: UnsafePointer<Int16>, scale: Float, output: UnsafeMutablePointer<Float>, blocks: Range<Int>
    ) {
        packedWeights.withUnsafeBufferPointer { weights in
            weightScales.withUnsafeBufferPointer { scales in
                bias.withUnsafeBufferPointer { bias in
                    let source = UnsafeRawPointer(quantized)
                    // Groups of four blocks (64 pixels) stay in L1 while every output channel
                    // sweeps them; then the remaining blocks one at a time.
                    var block = blocks.lowerBound
                    while block + 4 <= blocks.upperBound {
                        for o in 0..<outputChannels {
                            row4(
                                quantized: source + block * 64,
                                weights: weights.baseAddress! + o / 4 * pairs * 4 + o % 4,
                                output: o, pixel: block * 16, scale: scale, scales: scales.baseAddress!,
                                bias: bias.baseAddress!, to: output)
                        }
                        block += 4
                    }
                    while block < blocks.upperBound {
                        for o in 0..<outputChannels {
                            row1(
                                quantized: source + block * 64,
                                weights: weights.baseAddress! + o / 4 * pairs * 4 + o % 4,
                                output: o, pixel: block * 16, scale: scale, scales: scales.baseAddress!,
                                bias: bias.baseAddress!, to: output)
                        }
                        block += 1
                    }
                }
            }
        }
    }

    /// Number of 16-pixel blocks (the unit of `run`'s ranges).
    package var blockCount: Int { paddedPixels / 16 }

    /// One output channel times 64 pixels: four accumulators, each fed by its own load (LLVM
    /// forms `vpmaddwd`/`vpdpwssd` only when the shifted input has a single use, so the input
    /// is not shared between output channels inside the loop). `weights` points at the
    /// channel's first pair; its pairs are 4 apart.
    @inline(__always)
    private func row4(
        quantized: UnsafeRawPointer, weights: UnsafePointer<Int32>, output o: Int, pixel: Int, scale: Float,
        scales: UnsafePointer<Float>, bias: UnsafePointer<Float>, to output: UnsafeMutablePointer<Float>
    ) {
        var acc0 = SIMD16<Int32>(repeating: 0)
        var acc1 = SIMD16<Int32>(repeating: 0)
        var acc2 = SIMD16<Int32>(repeating: 0)
        var acc3 = SIMD16<Int32>(repeating: 0)
        let rowBytes = paddedPixels * 4
        var x = quantized
        for k in 0..<pairs {
            let pair = weights[k * 4]
            acc0 = multiplyAddPairs(acc0, x.loadUnaligned(as: SIMD16<Int32>.self), pair)
            acc1 = multiplyAddPairs(acc1, x.loadUnaligned(fromByteOffset: 64, as: SIMD16<Int32>.self), pair)
            acc2 = multiplyAddPairs(acc2, x.loadUnaligned(fromByteOffset: 128, as: SIMD16<Int32>.self), pair)
            acc3 = multiplyAddPairs(acc3, x.loadUnaligned(fromByteOffset: 192, as: SIMD16<Int32>.self), pair)
            x += rowBytes
        }
        store(acc0, output: o, pixel: pixel, scale: scale, scales: scales, bias: bias, to: output)
        store(acc1, output: o, pixel: pixel + 16, scale: scale, scales: scales, bias: bias, to: output)
        store(acc2, output: o, pixel: pixel + 32, scale: scale, scales: scales, bias: bias, to: output)
        store(acc3, output: o, pixel: pixel + 48, scale: scale, scales: scales, bias: bias, to: output)
    }

    /// One output channel times 16 pixels.
    @inline(__always)
    private func row1(
        quantized: UnsafeRawPointer, weights: UnsafePointer<Int32>, output o: Int, pixel: Int, scale: Float,
        scales: UnsafePointer<Float>, bias: UnsafePointer<Float>, to output: UnsafeMutablePointer<Float>
    ) {
        var acc = SIMD16<Int32>(repeating: 0)
        let rowBytes = paddedPixels * 4
        var x = quantized
        for k in 0..<pairs {
            acc = multiplyAddPairs(acc, x.loadUnaligned(as: SIMD16<Int32>.self), weights[k * 4])
            x += rowBytes
        }
        store(acc, output: o, pixel: pixel, scale: scale, scales: scales, bias: bias, to: output)
    }

    @inline(__always)
    private func store(
        _ acc: SIMD16<Int32>, output o: Int, pixel: Int, scale: Float, scales: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, to output: UnsafeMutablePointer<Float>
    ) {
        guard pixel < pixels else { return }
        var sums = SIMD16<Float>()
        // Lane by lane: the generic SIMD conversion is an unspecialised call; this loop becomes
        // one `vcvtdq2ps`.
        for lane in 0..<16 { sums[lane] = Float(acc[lane]) }
        var v = sums * (scale * scales[o]) + SIMD16<Float>(repeating: bias[o])
        if relu { v.replace(with: 0, where: v .< 0) }
        let destination = output + o * pixels + pixel
        if pixel + 16 <= pixels {
            UnsafeMutableRawPointer(destination).storeBytes(of: v, as: SIMD16<Float>.self)
        } else {
            for lane in 0..<(pixels - pixel) { destination[lane] = v[lane] }
        }
    }
}

/// `acc + x.low * w.low + x.high * w.high` lane by lane in 32 bits, where each lane of `x` holds
/// two signed 16-bit values (low and high half) and `pair` holds the two weights the same way.
///
/// Written with shifts so that LLVM knows every factor fits in 16 signed bits: it then turns each
/// product into `vpmaddwd` on the masked or shifted lanes, and with VNNI the product-and-add
/// into `vpdpwssd` (checked in the disassembly; a formulation with `evenHalf`/`oddHalf` and
/// widening conversions gave `vpmulld` and shuffles instead). Each instruction uses only one
/// 16-bit half of every lane, so this does 16 useful multiply-adds per 512-bit instruction.
@inline(__always)
func multiplyAddPairs(_ acc: SIMD16<Int32>, _ x: SIMD16<Int32>, _ pair: Int32) -> SIMD16<Int32> {
    let low = (x &<< 16) &>> 16
    let high = x &>> 16
    var sum = acc &+ low &* SIMD16<Int32>(repeating: (pair &<< 16) &>> 16)
    sum = sum &+ high &* SIMD16<Int32>(repeating: pair &>> 16)
    return sum
}

/// `Int32(v.rounded(.toNearestOrEven))` for |v| < 2^22, lane by lane, in plain float and integer
/// operations: adding 1.5 * 2^23 leaves the rounded integer in the low mantissa bits (the
/// library's `SIMD16<Int32>(_:rounding:)` is an unspecialised call, far slower).
@inline(__always)
func roundToInteger(_ v: SIMD16<Float>) -> SIMD16<Int32> {
    let biased = v + SIMD16<Float>(repeating: 12_582_912)
    return unsafeBitCast(biased, to: SIMD16<Int32>.self) &- 0x4B40_0000
}

/// The scalar form of `roundToInteger(_:)`.
@inline(__always)
func roundToInteger(_ v: Float) -> Int32 {
    Int32(bitPattern: (v + 12_582_912).bitPattern) &- 0x4B40_0000
}
