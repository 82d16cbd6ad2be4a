#if arch(x86_64)
    import CInt8Instructions
#endif

/// A 3x3 depthwise convolution (padding 1, stride 1 or 2) on unsigned bytes, writing floats; the
/// kernel `NeuralKernels.Int8DepthwiseConvolution` runs (see there for the arithmetic).
///
/// For 16 outputs of a row from column x0 and each kernel row, one masked 64-byte load takes the
/// input row's bytes from column `stride * x0 - 1` (the bytes left of column 0 and right of the
/// last column masked off: they read as 0, the padding, and are never touched), one `vpermb`
/// gives output lane p the bytes `stride * p`, `+ 1`, `+ 2` (its three taps), and one `vpdpbusd`
/// adds their products with the channel's three weights of that row (the fourth weight byte is 0,
/// so the fourth input byte adds nothing). Kernel rows above or below the picture are skipped.
/// The integer sums are exact. No copies and no scratch: the input is read where it lies.
package final class Int8DepthwiseKernel: Sendable {
    package let channels: Int
    package let inputHeight: Int
    package let inputWidth: Int
    package let stride: Int
    package let outputHeight: Int
    package let outputWidth: Int
    /// `words[3 * c + ky]`: the weights of kernel row ky of channel c in bytes 0-2 (signed).
    let words: [Int32]
    /// `inputScale[c] * weightScale[c]` per channel.
    let multipliers: [Float]
    let bias: [Float]
    let relu: Bool
    /// True when the output is written as bytes of one step (`outputStep`); `multipliers` and
    /// `bias` then hold the values in steps.
    package let writesBytes: Bool
    /// Per 16-output block of a row: which of the 64 bytes from column `stride * x0 - 1` lie in
    /// the picture (bit j: column `stride * x0 - 1 + j`).
    let loadMasks: [UInt64]
    /// Per block: which of its 16 outputs exist.
    let storeMasks: [UInt16]

    /// `weights`: `channels * 9`, [c][ky][kx]; `bias` and `inputScales` one per channel (each
    /// scale > 0). Weights are quantised per channel, symmetrically to -127...127 (step = largest
    /// |w| / 127, rounded to nearest even; an all-zero channel stays 0).
    package init(
        channels: Int, inputHeight: Int, inputWidth: Int, stride: Int, weights: [Float], bias: [Float], relu: Bool,
        inputScales: [Float], outputStep: Float? = nil
    ) {
        precondition(channels >= 1 && inputHeight >= 1 && inputWidth >= 1 && (stride == 1 || stride == 2))
        precondition(weights.count == 9 * channels && bias.count == channels && inputScales.count == channels)
        self.channels = channels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.stride = stride
        outputHeight = (inputHeight - 1) / stride + 1
        outputWidth = (inputWidth - 1) / stride + 1
        var words = [Int32](repeating: 0, count: 3 * channels)
        var multipliers = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            var largest: Float = 0
            for k in 0..<9 { largest = max(largest, abs(weights[9 * c + k])) }
            let inverse: Float = largest > 0 ? 127 / largest : 0
            multipliers[c] = inputScales[c] * (largest / 127)
            for ky in 0..<3 {
                var word: UInt32 = 0
                for kx in 0..<3 {
                    let q = Int8(
                        max(-127, min(127, Int32((weights[9 * c + 3 * ky + kx] * inverse).rounded(.toNearestOrEven)))))
                    word |= UInt32(UInt8(bitPattern: q)) << (8 * kx)
                }
                words[3 * c + ky] = Int32(bitPattern: word)
            }
        }
        self.words = words
        // Bytes out: 1 / step folded into the multiplier and the bias.
        let inverse: Float = outputStep.map { 1 / $0 } ?? 1
        self.multipliers = multipliers.map { $0 * inverse }
        self.bias = bias.map { $0 * inverse }
        self.relu = relu
        writesBytes = outputStep != nil
        var loadMasks: [UInt64] = []
        var storeMasks: [UInt16] = []
        for x0 in Swift.stride(from: 0, to: outputWidth, by: 16) {
            let start = stride * x0 - 1
            var mask: UInt64 = 0
            for j in 0..<64 where start + j >= 0 && start + j < inputWidth { mask |= 1 << UInt64(j) }
            loadMasks.append(mask)
            let count = min(16, outputWidth - x0)
            storeMasks.append(count == 16 ? 0xFFFF : UInt16((1 << count) - 1))
        }
        self.loadMasks = loadMasks
        self.storeMasks = storeMasks
    }

    /// Lane p of the byte index `vpermb` takes: bytes stride * p, + 1, + 2 (and + 2 again, whose
    /// weight is 0).
    private static func tapIndex(stride: Int) -> SIMD16<Int32> {
        var index = SIMD16<Int32>()
        for p in 0..<16 {
            let first = Int32(stride * p)
            index[p] = first | (first + 1) << 8 | (first + 2) << 16 | (first + 2) << 24
        }
        return index
    }

    /// Computes channels `channels` (a subrange of 0..<self.channels) of the output from `input`
    /// (`channels * inputHeight * inputWidth` bytes, planar) into `output` (planar,
    /// `outputHeight * outputWidth` per channel: floats, or bytes with `writesBytes`). Concurrent
    /// calls need disjoint channel ranges. Both pointers are borrowed for the call; the kernel
    /// reads only the input's bytes and writes only the given channels' outputs.
    package func run(input: UnsafePointer<UInt8>, output: UnsafeMutableRawPointer, channels range: Range<Int>) {
        if writesBytes {
            run(input: input, writer: ByteWriter(output: output.assumingMemoryBound(to: UInt8.self)), channels: range)
        } else {
            run(input: input, writer: FloatWriter(output: output.assumingMemoryBound(to: Float.self)), channels: range)
        }
    }

    /// `run` for one output form (specialised for each writer).
    private func run<Writer: DepthwiseWriter>(input: UnsafePointer<UInt8>, writer: Writer, channels range: Range<Int>) {
        let index = Self.tapIndex(stride: stride)
        let plane = inputHeight * inputWidth
        let outputPlane = outputHeight * outputWidth
        words.withUnsafeBufferPointer { words in
            loadMasks.withUnsafeBufferPointer { loadMasks in
                storeMasks.withUnsafeBufferPointer { storeMasks in
                    for c in range {
                        let weights = (
                            SIMD16<Int32>(repeating: words[3 * c]), SIMD16<Int32>(repeating: words[3 * c + 1]),
                            SIMD16<Int32>(repeating: words[3 * c + 2])
                        )
                        let multiplier = SIMD16<Float>(repeating: multipliers[c])
                        let offset = SIMD16<Float>(repeating: bias[c])
                        let source = input + c * plane
                        var y = 0
                        while y < outputHeight {
                            // Kernel row ky reads input row y * stride - 1 + ky; rows outside the
                            // picture add nothing and are skipped.
                            let top = y &* stride &- 1
                            let hasTop = top >= 0
                            // Column -1 of row `top` (before the input's first byte for the first
                            // row; only masked bytes, all inside the row, are ever read).
                            let rowStart = UnsafeRawPointer(source) + (top &* inputWidth &- 1)
                            let out = c &* outputPlane &+ y &* outputWidth
                            if stride == 1 && y &+ 1 < outputHeight {
                                // Two output rows at once: they share two of their four input
                                // rows, so four loads and `vpermb`s serve six multiply-adds.
                                let hasBottom = top &+ 3 < inputHeight
                                var block = 0
                                while block < loadMasks.count {
                                    let x0 = block &* 16
                                    let at = rowStart + x0
                                    let mask = loadMasks[block]
                                    let row1 = taps(at + inputWidth, mask, index)
                                    let row2 = taps(at + 2 &* inputWidth, mask, index)
                                    var upper = dot(row1, weights.1) &+ dot(row2, weights.2)
                                    var lower = dot(row1, weights.0) &+ dot(row2, weights.1)
                                    if hasTop { upper &+= dot(taps(at, mask, index), weights.0) }
                                    if hasBottom { lower &+= dot(taps(at + 3 &* inputWidth, mask, index), weights.2) }
                                    let store = storeMasks[block]
                                    finish(upper, multiplier, offset, writer, element: out &+ x0, mask: store)
                                    finish(
                                        lower, multiplier, offset, writer, element: out &+ outputWidth &+ x0,
                                        mask: store)
                                    block &+= 1
                                }
                                y &+= 2
                                continue
                            }
                            let hasBottom = top &+ 2 < inputHeight
                            var block = 0
                            while block < loadMasks.count {
                                let x0 = block &* 16
                                let at = rowStart + stride &* x0
                                let mask = loadMasks[block]
                                // Three separate sums, added at the end: one chain of three
                                // dependent `vpdpbusd` per block was the loop's critical path.
                                var sums = dot(taps(at + inputWidth, mask, index), weights.1)
                                if hasTop { sums &+= dot(taps(at, mask, index), weights.0) }
                                if hasBottom { sums &+= dot(taps(at + 2 &* inputWidth, mask, index), weights.2) }
                                finish(sums, multiplier, offset, writer, element: out &+ x0, mask: storeMasks[block])
                                block &+= 1
                            }
                            y &+= 1
                        }
                    }
                }
            }
        }
    }

    /// `bias + sum * multiplier` per lane, the ReLU, and the write.
    @inline(__always)
    private func finish<Writer: DepthwiseWriter>(
        _ sums: SIMD16<Int32>, _ multiplier: SIMD16<Float>, _ offset: SIMD16<Float>, _ writer: Writer, element: Int,
        mask: UInt16
    ) {
        var floats = SIMD16<Float>()
        // Lane by lane: the generic conversion is an unspecialised call; this loop becomes one
        // `vcvtdq2ps`.
        for lane in 0..<16 { floats[lane] = Float(sums[lane]) }
        var v = offset.addingProduct(floats, multiplier)
        if relu { v.replace(with: 0, where: v .< 0) }
        writer.write(v, element: element, mask: mask)
    }

    /// The masked 64 bytes at `bytes`, placed by `index`: lane p holds its three taps.
    @inline(__always)
    private func taps(_ bytes: UnsafeRawPointer, _ mask: UInt64, _ index: SIMD16<Int32>) -> SIMD16<Int32> {
        #if arch(x86_64)
            return facestream_permb16(facestream_load_bytes_masked(bytes, mask), index)
        #else
            // Not built off x86-64 (the facade reports the kernel unsupported there).
            return SIMD16<Int32>()
        #endif
    }

    /// Per lane, the sum of its taps' products with one kernel row's weights.
    @inline(__always)
    private func dot(_ taps: SIMD16<Int32>, _ weights: SIMD16<Int32>) -> SIMD16<Int32> {
        #if arch(x86_64)
            return facestream_dpbusd16(SIMD16<Int32>(), taps, weights)
        #else
            return SIMD16<Int32>()
        #endif
    }
}

/// Where the depthwise kernel puts 16 values of a row (the lanes `mask` selects).
protocol DepthwiseWriter {
    func write(_ values: SIMD16<Float>, element: Int, mask: UInt16)
}

/// Floats. The pointer is borrowed for the kernel call.
struct FloatWriter: DepthwiseWriter {
    let output: UnsafeMutablePointer<Float>

    @inline(__always)
    func write(_ values: SIMD16<Float>, element: Int, mask: UInt16) {
        #if arch(x86_64)
            facestream_store_floats_masked(output + element, values, mask)
        #else
            for lane in 0..<16 where mask & (1 << lane) != 0 { output[element + lane] = values[lane] }
        #endif
    }
}

/// Bytes: the values (already in steps) rounded to nearest even and clamped to 0...255. The
/// pointer is borrowed for the kernel call.
struct ByteWriter: DepthwiseWriter {
    let output: UnsafeMutablePointer<UInt8>

    @inline(__always)
    func write(_ values: SIMD16<Float>, element: Int, mask: UInt16) {
        var q = values
        q.replace(with: 0, where: q .< 0)
        #if arch(x86_64)
            // Rounded, saturated at 255 and stored in one conversion and one narrowing store.
            facestream_store_steps_masked(output + element, q, mask)
        #else
            q.replace(with: 255, where: q .> 255)
            let words = unsafeBitCast(q + 12_582_912, to: SIMD16<Int32>.self)
            for lane in 0..<16 where mask & (1 << lane) != 0 { output[element + lane] = UInt8(words[lane] & 0xFF) }
        #endif
    }
}

/// ReLU and quantisation to bytes where the value the depthwise kernel reads comes from a float
/// layer (UltraFace's RFB block ends in an addition and a ReLU): `out[c, i] = clamp(round(x[c, i]
/// / step[c]), 0, 255)`, rounded to nearest even, 0 for negative values. `inverses[c]` is
/// `1 / step[c]`; `planes` planes of `planeSize` floats in, as many bytes out. The input must be
/// finite. Every pointer is borrowed for the call.
package func int8QuantizeReLU(
    input: UnsafePointer<Float>, output: UnsafeMutablePointer<UInt8>, planes: Int, planeSize: Int,
    inverses: UnsafePointer<Float>
) {
    for c in 0..<planes {
        let source = input + c &* planeSize
        let destination = output + c &* planeSize
        let inverse = inverses[c]
        var i = 0
        #if arch(x86_64)
            let scale = SIMD16<Float>(repeating: inverse)
            while i &+ 16 <= planeSize {
                var v = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<Float>.self) * scale
                v.replace(with: 0, where: v .< 0)
                facestream_store_steps_masked(destination + i, v, 0xFFFF)
                i &+= 16
            }
        #endif
        while i < planeSize {
            let v = source[i] * inverse
            destination[i] = v > 0 ? UInt8(min(255, v).rounded(.toNearestOrEven)) : 0
            i &+= 1
        }
    }
}
