import NeuralKernelsCore

/// 3x3 depthwise convolution (one input and one output channel per group), dilation 1, horizontal
/// stride 1 or 2, any vertical stride and padding:
///
///     out[c, y, x] = act(b[c] + sum_{ky, kx < 3} w[c, ky, kx] * in[c, y*sY - pT + ky, x*sX - pL + kx])
///
/// with taps outside the input skipped; planes are NCHW, weights `[C][3][3]`. Each plane is first
/// copied into scratch with its zero padding made explicit (the zero border is written once per
/// run, not per channel), then every output row is computed eight columns at a time (SIMD8)
/// with plain vector loads:
/// - stride 1: the padded plane `P` (`PH x PW` floats, see `paddedHeight`/`paddedWidth`); tap
///   `kx` of columns `x ..< x+8` is `P[r, x+kx ..< x+kx+8]`;
/// - stride 2: the padded plane split into its even and odd columns, `E[r, j] = P[r, 2j]` and
///   `O[r, j] = P[r, 2j+1]`, so taps 0, 1, 2 of columns `x ..< x+8` are `E[r, x ..< x+8]`,
///   `O[r, x ..< x+8]` and `E[r, x+1 ..< x+9]`: the deinterleaving shuffles happen once per input
///   element instead of once per tap.
///
/// Large maps with a left padding of 1 skip the copy: `DirectDepthwise3x3` reads the input planes
/// (same sums, same order).
struct DepthwiseConvolution3x3: Sendable {
    let geometry: ConvolutionGeometry
    let weights: [Float]
    let bias: [Float]
    let relu: Bool
    /// Rows of the padded copy: every input row the outputs touch, padding included.
    let paddedHeight: Int
    /// Row stride of the padded copy. Stride 1: wide enough for whole vectors up to OW rounded
    /// up to 8. Stride 2: one row holds `E` then `O`, each `halfWidth` floats.
    let paddedWidth: Int
    /// Stride 2: floats of one `E` or `O` row (`max(OW, 8) + 1`, the highest index read).
    let halfWidth: Int
    /// Small maps: the kernel with channels in the lanes, for every whole block of 8 channels
    /// (the remaining channels run plane by plane here).
    let interleaved: InterleavedDepthwise3x3?
    /// Large maps with a left padding of 1: the kernel that reads the input planes directly
    /// (no padded copy) for the channels `interleaved` leaves.
    let direct: DirectDepthwise3x3?

    /// True for the geometries this kernel handles.
    static func accepts(_ g: ConvolutionGeometry) -> Bool {
        g.groups == g.inputChannels && g.outputChannels == g.inputChannels && g.kernelHeight == 3
            && g.kernelWidth == 3 && g.dilationY == 1 && g.dilationX == 1 && (g.strideX == 1 || g.strideX == 2)
    }

    init(geometry: ConvolutionGeometry, weights: [Float], bias: [Float], activation: Activation) {
        self.geometry = geometry
        self.weights = weights
        self.bias = bias
        relu = activation == .relu
        let g = geometry
        paddedHeight = (g.outputHeight - 1) * g.strideY + 3
        let vectorWidth = (g.outputWidth + 7) / 8 * 8
        // Blocks end at max(OW, 8) (the last one overlaps its neighbour); stride 1 reads up to
        // 2 columns past the block, stride 2 one column of E past it.
        halfWidth = max(g.outputWidth, 8) + 1
        paddedWidth = g.strideX == 1 ? vectorWidth + 2 : 2 * halfWidth
        interleaved =
            InterleavedDepthwise3x3.prefers(g)
            ? InterleavedDepthwise3x3(geometry: g, weights: weights, bias: bias, activation: activation) : nil
        direct = DirectDepthwise3x3.accepts(g) ? DirectDepthwise3x3(geometry: g) : nil
    }

    /// Floats of scratch one run needs (the two paths run one after the other).
    var scratchCount: Int {
        max(direct?.scratchCount ?? paddedHeight * paddedWidth, interleaved?.scratchCount ?? 0)
    }

    /// Channel ranges starting at a multiple of this run at full speed.
    var channelAlignment: Int { interleaved == nil ? 1 : 8 }

    /// Computes channels `channels`.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        channels: Range<Int>
    ) {
        let g = geometry
        let planeIn = g.inputHeight * g.inputWidth
        let planeOut = g.outputHeight * g.outputWidth
        let rest =
            interleaved.map {
                $0.run(input: input, output: output, scratch: scratch, channels: channels)
            } ?? channels.lowerBound
        if rest == channels.upperBound { return }
        if let direct {
            weights.withUnsafeBufferPointer { w in
                direct.run(
                    input: input, output: output, scratch: scratch, weights: w.baseAddress!, bias: bias, relu: relu,
                    channels: rest..<channels.upperBound)
            }
            return
        }
        scratch.update(repeating: 0, count: paddedHeight * paddedWidth)
        weights.withUnsafeBufferPointer { w in
            for c in rest..<channels.upperBound {
                if g.strideX == 1 {
                    copyInterior(input + c * planeIn, into: scratch)
                    if g.strideY == 1 && g.outputWidth <= 128 && g.outputWidth >= 8 {
                        runPaddedRowPairs(
                            scratch, output: output + c * planeOut, weights: w.baseAddress! + 9 * c, bias: bias[c])
                    } else {
                        runRows(
                            scratch, output: output + c * planeOut, weights: w.baseAddress! + 9 * c, bias: bias[c],
                            middle: 4, last: 8)
                    }
                } else {
                    copyDeinterleaved(input + c * planeIn, into: scratch)
                    runRows(
                        scratch, output: output + c * planeOut, weights: w.baseAddress! + 9 * c, bias: bias[c],
                        middle: halfWidth * MemoryLayout<Float>.stride, last: 4)
                }
            }
        }
    }

    /// Input rows that land in the padded copy, and the first padded row they go to.
    private var copiedRows: Int { max(0, min(paddedHeight - geometry.padTop, geometry.inputHeight)) }

    /// P[r, c] = in[r - pT, c - pL] for the places inside the input, r < PH, c < PW (row stride
    /// PW). The other places (the zero padding) are the same for every channel: `run` zeroes
    /// the whole copy once and they are never written again.
    private func copyInterior(_ input: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let g = geometry
        let width = g.inputWidth
        let pl = g.padLeft
        guard pl < paddedWidth else { return }
        let copied = min(width, paddedWidth - pl)
        var dst = padded + g.padTop * paddedWidth + pl
        var src = input
        if copied < 8 {
            for _ in 0..<copiedRows {
                for x in 0..<copied { dst[x] = src[x] }
                dst += paddedWidth
                src += width
            }
        } else if copied < 64 {
            for _ in 0..<copiedRows {
                VectorCopy.copy(src, to: dst, count: copied)
                dst += paddedWidth
                src += width
            }
        } else {
            for _ in 0..<copiedRows {
                dst.update(from: src, count: copied)
                dst += paddedWidth
                src += width
            }
        }
    }

    /// Stride 2: for the places inside the input, with `c = ix + pL`, `E[r, c/2]` (even `c`) or
    /// `O[r, c/2]` (odd `c`) = in[r - pT, ix], for `c/2 < halfWidth`; row `r` of the copy starts
    /// at `r * PW`, its `O` part at `r * PW + halfWidth`. The padding stays zero as in `copyInterior`.
    private func copyDeinterleaved(_ input: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let g = geometry
        let width = g.inputWidth
        let pl = g.padLeft
        let hw = halfWidth
        // Columns with c / 2 < halfWidth, i.e. ix < 2 * halfWidth - pL.
        let end = min(width, 2 * hw - pl)
        guard end > 0 else { return }
        // The vector loop starts at the first column with an even c.
        let first = min(end, pl & 1)
        var even = padded + g.padTop * paddedWidth
        var src = input
        for _ in 0..<copiedRows {
            let odd = even + hw
            for ix in 0..<first { odd[(ix + pl) >> 1] = src[ix] }
            var ix = first
            while ix + 16 <= end {
                let v = UnsafeRawPointer(src + ix).loadUnaligned(as: SIMD16<Float>.self)
                let j = (ix + pl) >> 1
                UnsafeMutableRawPointer(even + j).storeBytes(of: v.evenHalf, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(odd + j).storeBytes(of: v.oddHalf, as: SIMD8<Float>.self)
                ix += 16
            }
            while ix + 1 < end {
                let j = (ix + pl) >> 1
                even[j] = src[ix]
                odd[j] = src[ix + 1]
                ix += 2
            }
            if ix < end { even[(ix + pl) >> 1] = src[ix] }
            even += paddedWidth
            src += width
        }
    }

    /// One output row per pass, on either copy; `middle` and `last` are the byte offsets of taps 1
    /// and 2 from tap 0 of a block.
    /// - Stride 1, padded copy (`middle` 4, `last` 8): out[y, x] = act(b + sum_{ky, kx} w[ky, kx] *
    ///   P[y*sY + ky, x + kx]) (PH x PW floats; every vector read lies inside it by the choice of
    ///   PW and PH).
    /// - Stride 2, deinterleaved copy (`middle` the `O` half's offset, `last` 4): out[y, x] = act(b +
    ///   sum_ky w[ky, 0] * E[r, x] + w[ky, 1] * O[r, x] + w[ky, 2] * E[r, x + 1]) with r = y*sY + ky
    ///   (x + 8 <= max(OW, 8), so E and O reads end before `halfWidth`).
    private func runRows(
        _ padded: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, weights w: UnsafePointer<Float>,
        bias: Float, middle: Int, last: Int
    ) {
        let g = geometry
        let ow = g.outputWidth
        let (k0, k1, k2, k3, k4, k5, k6, k7, k8) = Self.broadcast(w)
        let start = SIMD8<Float>(repeating: bias)
        let rowBytes = paddedWidth * MemoryLayout<Float>.stride
        for y in 0..<g.outputHeight {
            let r0 = UnsafeRawPointer(padded + y * g.strideY * paddedWidth)
            let r1 = r0 + rowBytes
            let r2 = r1 + rowBytes
            let out = output + y * ow
            var x = 0
            while x < ow {
                // Past the last whole vector: overlap the previous block when the row has one.
                let block = x + 8 > ow && ow >= 8 ? ow - 8 : x
                let base = block * MemoryLayout<Float>.stride
                // One accumulator per kernel row keeps the three FMA chains independent.
                let acc =
                    taps(start, r0, base, base + middle, base + last, k0, k1, k2)
                    + taps(.zero, r1, base, base + middle, base + last, k3, k4, k5)
                    + taps(.zero, r2, base, base + middle, base + last, k6, k7, k8)
                store(acc, out, block)
                x = block + 8
            }
        }
    }

    /// Stride 1 on mid-sized maps (8 <= OW <= 128): the same sums as `runRows` (stride 1), two output rows
    /// at a time, so the two middle input rows are loaded once for both (12 loads for 18 FMAs
    /// instead of 18). An odd last row runs alone.
    private func runPaddedRowPairs(
        _ padded: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, weights w: UnsafePointer<Float>,
        bias: Float
    ) {
        let g = geometry
        let ow = g.outputWidth
        let (k0, k1, k2, k3, k4, k5, k6, k7, k8) = Self.broadcast(w)
        let start = SIMD8<Float>(repeating: bias)
        let rowBytes = paddedWidth * MemoryLayout<Float>.stride
        var y = 0
        while y < g.outputHeight {
            let pair = y + 1 < g.outputHeight
            let r0 = UnsafeRawPointer(padded + y * paddedWidth)
            let r1 = r0 + rowBytes
            let r2 = r1 + rowBytes
            // A lone last row reads its own row 2 again as "row 3" and drops the result.
            let r3 = pair ? r2 + rowBytes : r2
            let out = output + y * ow
            var x = 0
            while x < ow {
                let block = min(x, ow - 8)
                let q = block * MemoryLayout<Float>.stride
                let a1 = r1.loadUnaligned(fromByteOffset: q, as: SIMD8<Float>.self)
                let b1 = r1.loadUnaligned(fromByteOffset: q + 4, as: SIMD8<Float>.self)
                let c1 = r1.loadUnaligned(fromByteOffset: q + 8, as: SIMD8<Float>.self)
                let a2 = r2.loadUnaligned(fromByteOffset: q, as: SIMD8<Float>.self)
                let b2 = r2.loadUnaligned(fromByteOffset: q + 4, as: SIMD8<Float>.self)
                let c2 = r2.loadUnaligned(fromByteOffset: q + 8, as: SIMD8<Float>.self)
                // Upper row: taps of rows 0, 1, 2; lower row: rows 1, 2, 3 (two chains each).
                var upper = taps(start, r0, q, q + 4, q + 8, k0, k1, k2)
                var upperMiddle = multiplyAdd(multiplyAdd(multiplyAdd(.zero, a1, k3), b1, k4), c1, k5)
                upper = multiplyAdd(multiplyAdd(multiplyAdd(upper, a2, k6), b2, k7), c2, k8)
                var lower = multiplyAdd(multiplyAdd(multiplyAdd(start, a1, k0), b1, k1), c1, k2)
                var lowerMiddle = multiplyAdd(multiplyAdd(multiplyAdd(.zero, a2, k3), b2, k4), c2, k5)
                lower = taps(lower, r3, q, q + 4, q + 8, k6, k7, k8)
                upperMiddle = upper + upperMiddle
                lowerMiddle = lower + lowerMiddle
                store(upperMiddle, out, block)
                if pair { store(lowerMiddle, out + ow, block) }
                x = block + 8
            }
            y += 2
        }
    }

    /// The nine weights of one channel, each in every lane.
    @inline(__always)
    private static func broadcast(_ w: UnsafePointer<Float>) -> (
        SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
        SIMD8<Float>, SIMD8<Float>
    ) {
        (
            SIMD8(repeating: w[0]), SIMD8(repeating: w[1]), SIMD8(repeating: w[2]), SIMD8(repeating: w[3]),
            SIMD8(repeating: w[4]), SIMD8(repeating: w[5]), SIMD8(repeating: w[6]), SIMD8(repeating: w[7]),
            SIMD8(repeating: w[8])
        )
    }

    /// acc + k0 * r[q0 ..< q0+8] + k1 * r[q1 ..< q1+8] + k2 * r[q2 ..< q2+8] (byte offsets).
    @inline(__always)
    private func taps(
        _ acc: SIMD8<Float>, _ r: UnsafeRawPointer, _ q0: Int, _ q1: Int, _ q2: Int, _ k0: SIMD8<Float>,
        _ k1: SIMD8<Float>,
        _ k2: SIMD8<Float>
    ) -> SIMD8<Float> {
        var a = multiplyAdd(acc, r.loadUnaligned(fromByteOffset: q0, as: SIMD8<Float>.self), k0)
        a = multiplyAdd(a, r.loadUnaligned(fromByteOffset: q1, as: SIMD8<Float>.self), k1)
        return multiplyAdd(a, r.loadUnaligned(fromByteOffset: q2, as: SIMD8<Float>.self), k2)
    }

    /// Stores out[block ..< min(block + 8, OW)] after the activation.
    @inline(__always)
    private func store(_ value: SIMD8<Float>, _ out: UnsafeMutablePointer<Float>, _ block: Int) {
        let acc = relu ? value.replacing(with: 0, where: value .< 0) : value
        if block + 8 <= geometry.outputWidth {
            UnsafeMutableRawPointer(out + block).storeBytes(of: acc, as: SIMD8<Float>.self)
        } else {
            for lane in 0..<(geometry.outputWidth - block) { out[block + lane] = acc[lane] }
        }
    }
}
