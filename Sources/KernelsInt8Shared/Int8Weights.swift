#if arch(x86_64)
    import CInt8Instructions
#endif

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
    /// Empty when the output is float32. Otherwise the output is written as unsigned bytes, one
    /// static scale per output channel: `q = clamp(round(v / scale[o]), 0, 255)`, and this holds
    /// `1 / scale[o]` (the byte chain of `--precision int8`: the next layer reads the bytes). The
    /// epilogue folds it into its multiplier and bias, so `v / scale[o]` is computed as
    /// `sum * (multiplier / scale) + bias / scale`: a value within a rounding error of a half step
    /// may round to the neighbouring byte.
    let outputInverseScales: [Float]

    /// `weights` are OIHW (`outputChannels x inputChannels x taps`, the taps row-major).
    /// `outputScales` (one per output channel, each > 0) makes the output bytes; nil keeps floats.
    init(
        weights: [Float], bias: [Float], outputChannels: Int, inputChannels: Int, taps: Int, relu: Bool,
        outputScales: [Float]? = nil
    ) {
        precondition(weights.count == outputChannels * inputChannels * taps && bias.count == outputChannels)
        precondition(outputScales.map { $0.count == outputChannels && $0.allSatisfy { $0 > 0 && $0.isFinite } } ?? true)
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
        outputInverseScales = outputScales.map { $0.map { 1 / $0 } } ?? []
    }

    /// True when the output is written as bytes (`outputInverseScales`).
    var writesBytes: Bool { !outputInverseScales.isEmpty }

    /// The packed weights of output channels `o..<o + 4` (`o` a multiple of 4).
    func offset(ofOutput o: Int) -> Int { o * steps * int8WeightWordsPerStep }

    /// The constants that turn the sums of output channels `o..<o + 4` into floats for one run
    /// (input scale `scale`, zero point `zeroPoint`), each in every lane: worked out once per group
    /// of four channels and tile, not once per 16-pixel block.
    @inline(__always)
    func epilogue(outputs o: Int, zeroPoint: Int32, scale: Float) -> Int8Epilogue {
        sums.withUnsafeBufferPointer { sums in
            scales.withUnsafeBufferPointer { scales in
                bias.withUnsafeBufferPointer { bias in
                    // Channels past `outputChannels` (up to `paddedOutputs`) are never stored.
                    let last = outputChannels - 1
                    // Bytes out: the output's 1 / step folded into the multiplier and the bias, so
                    // that the value comes out in steps (one multiply fewer per vector).
                    func lane(_ k: Int) -> (SIMD16<Int32>, SIMD16<Float>, SIMD16<Float>) {
                        let c = min(o + k, last)
                        let inverse: Float = writesBytes ? outputInverseScales[c] : 1
                        return (
                            SIMD16(repeating: zeroPoint &* sums[c]), SIMD16(repeating: scale * scales[c] * inverse),
                            SIMD16(repeating: bias[c] * inverse)
                        )
                    }
                    let (c0, m0, b0) = lane(0)
                    let (c1, m1, b1) = lane(1)
                    let (c2, m2, b2) = lane(2)
                    let (c3, m3, b3) = lane(3)
                    return Int8Epilogue(
                        channels: min(4, outputChannels - o), corrections: (c0, c1, c2, c3),
                        multipliers: (m0, m1, m2, m3), biases: (b0, b1, b2, b3), relu: relu)
                }
            }
        }
    }
}

/// `act(bias + sx * sw * (sum - zx * sum qw))` for four output channels (`Int8Weights.epilogue`):
/// the integer correction first (exact), then the float scale and the bias.
struct Int8Epilogue {
    /// Output channels of the four that exist (1...4).
    let channels: Int
    /// `zx * sum qw[o]` per channel.
    let corrections: (SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>)
    /// `sx * sw[o]` per channel.
    let multipliers: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>)
    let biases: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>)
    let relu: Bool

    /// Writes the channels that exist for `count` (1...16) pixels through `writer`, from element
    /// `element` of the output (the first channel's first pixel; the next channel's is
    /// `channelStride` elements on).
    // `@_transparent` (inlined in every caller, as the standard library does for its small
    // operations), not `@inline(__always)`: with the latter the KxK kernel still called this as a
    // function, passing the four accumulators through memory (5.5 % of an int8 RFB-320 run in
    // `perf`; inlined, the 3->16 stem went from 0.161 to 0.117 ms and the network from 1.55 to
    // 1.49 ms).
    @_transparent
    func store<Writer: Int8OutputWriter>(
        _ sums: Int8Sums4x1, _ writer: Writer, element: Int, channelStride: Int, count: Int
    ) {
        let value0 = value(sums.0, corrections.0, multipliers.0, biases.0)
        writer.write(value0, element: element, count: count)
        guard channels > 1 else { return }
        let value1 = value(sums.1, corrections.1, multipliers.1, biases.1)
        writer.write(value1, element: element + channelStride, count: count)
        guard channels > 2 else { return }
        let value2 = value(sums.2, corrections.2, multipliers.2, biases.2)
        writer.write(value2, element: element + 2 * channelStride, count: count)
        guard channels > 3 else { return }
        let value3 = value(sums.3, corrections.3, multipliers.3, biases.3)
        writer.write(value3, element: element + 3 * channelStride, count: count)
    }

    /// Writes 64 pixels (four whole blocks) of each channel that exists, `sums` as
    /// `int8MultiplyAdd4x4` returns them (block-major), from element `element` of the first
    /// channel (the next channel's is `channelStride` elements on).
    @_transparent
    func storeTile<Writer: Int8OutputWriter>(
        _ sums: Int8Sums4x4, _ writer: Writer, element: Int, channelStride: Int
    ) {
        writer.writeTile(
            (
                value(sums.0, corrections.0, multipliers.0, biases.0),
                value(sums.4, corrections.0, multipliers.0, biases.0),
                value(sums.8, corrections.0, multipliers.0, biases.0),
                value(sums.12, corrections.0, multipliers.0, biases.0)
            ), element: element)
        guard channels > 1 else { return }
        writer.writeTile(
            (
                value(sums.1, corrections.1, multipliers.1, biases.1),
                value(sums.5, corrections.1, multipliers.1, biases.1),
                value(sums.9, corrections.1, multipliers.1, biases.1),
                value(sums.13, corrections.1, multipliers.1, biases.1)
            ), element: element + channelStride)
        guard channels > 2 else { return }
        writer.writeTile(
            (
                value(sums.2, corrections.2, multipliers.2, biases.2),
                value(sums.6, corrections.2, multipliers.2, biases.2),
                value(sums.10, corrections.2, multipliers.2, biases.2),
                value(sums.14, corrections.2, multipliers.2, biases.2)
            ), element: element + 2 * channelStride)
        guard channels > 3 else { return }
        writer.writeTile(
            (
                value(sums.3, corrections.3, multipliers.3, biases.3),
                value(sums.7, corrections.3, multipliers.3, biases.3),
                value(sums.11, corrections.3, multipliers.3, biases.3),
                value(sums.15, corrections.3, multipliers.3, biases.3)
            ), element: element + 3 * channelStride)
    }

    @inline(__always)
    private func value(
        _ acc: SIMD16<Int32>, _ correction: SIMD16<Int32>, _ multiplier: SIMD16<Float>, _ bias: SIMD16<Float>
    ) -> SIMD16<Float> {
        let corrected = acc &- correction
        var floats = SIMD16<Float>()
        // Lane by lane: the generic SIMD conversion is an unspecialised call; this loop becomes
        // one `vcvtdq2ps`.
        for lane in 0..<16 { floats[lane] = Float(corrected[lane]) }
        var v = floats * multiplier + bias
        if relu { v.replace(with: 0, where: v .< 0) }
        return v
    }
}

/// Where an int8 kernel's epilogue puts 16 (or `count`) values of one output channel. The kernels'
/// loops are generic over it, so that the float and the byte form are each compiled on their own
/// (a run-time branch inside the epilogue made the 1x1 kernel four times slower).
protocol Int8OutputWriter {
    /// Writes `count` (1...16) values from element `element`.
    func write(_ values: SIMD16<Float>, element: Int, count: Int)
    /// Writes 64 values (four vectors, in order) from element `element`.
    func writeTile(_ values: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>), element: Int)
}

extension Int8OutputWriter {
    @inline(__always)
    func writeTile(_ values: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>), element: Int) {
        write(values.0, element: element, count: 16)
        write(values.1, element: element + 16, count: 16)
        write(values.2, element: element + 32, count: 16)
        write(values.3, element: element + 48, count: 16)
    }
}

/// Floats: `output[element + lane]`. The pointer is borrowed for the kernel call.
struct Int8FloatWriter: Int8OutputWriter {
    let output: UnsafeMutablePointer<Float>

    @inline(__always)
    func write(_ values: SIMD16<Float>, element: Int, count: Int) {
        let destination = output + element
        if count == 16 {
            #if arch(x86_64)
                facestream_store_floats16(destination, values)
            #else
                UnsafeMutableRawPointer(destination).storeBytes(of: values, as: SIMD16<Float>.self)
            #endif
        } else {
            for lane in 0..<count { destination[lane] = values[lane] }
        }
    }
}

/// Bytes: `output[element + lane] = clamp(round(v), 0, 255)`, rounded to nearest even as
/// `QuantizationStep.quantize`, where the epilogue's `v` is already in steps of the output
/// (`Int8Weights.epilogue` folds 1 / step into its multiplier and bias). The pointer is borrowed
/// for the kernel call.
struct Int8ByteWriter: Int8OutputWriter {
    let output: UnsafeMutableRawPointer

    #if FACESTREAM_INT8_VNNI
        /// The four vectors rounded, clamped and packed by one shim into a single 64-byte store
        /// (AVX-512 BW); one narrowing store per vector measured 0.20 against 0.135 ms for the
        /// float output of RFB-320's 16->32 1x1.
        @inline(__always)
        func writeTile(_ values: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>), element: Int) {
            facestream_store_bytes64(output + element, values.0, values.1, values.2, values.3)
        }
    #endif

    @inline(__always)
    func write(_ values: SIMD16<Float>, element: Int, count: Int) {
        var q = values
        q.replace(with: 0, where: q .< 0)
        q.replace(with: 255, where: q .> 255)
        let words = unsafeBitCast(q + 12_582_912, to: SIMD16<Int32>.self)
        // A shim (one `vpmovdb`): a lane loop here stayed 16 extracts and inserts, and made the
        // 16->32 1x1 of RFB-320 0.63 ms instead of 0.14.
        #if arch(x86_64)
            let packed = facestream_low_bytes16(words)
        #else
            var packed = SIMD16<UInt8>()
            for lane in 0..<16 { packed[lane] = UInt8(truncatingIfNeeded: words[lane]) }
        #endif
        let destination = output + element
        if count == 16 {
            #if arch(x86_64)
                facestream_store_bytes16(destination, packed)
            #else
                destination.storeBytes(of: packed, as: SIMD16<UInt8>.self)
            #endif
        } else {
            for lane in 0..<count { destination.storeBytes(of: packed[lane], toByteOffset: lane, as: UInt8.self) }
        }
    }
}
