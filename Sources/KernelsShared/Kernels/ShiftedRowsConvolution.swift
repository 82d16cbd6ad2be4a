import NeuralKernelsCore

/// Dense stride-1 convolutions with few channels on mid-sized maps (the RFB branches: 3x3,
/// dilation 1-5, 8-16 channels on 30x40), without an im2col buffer:
///
///     out[o, y, x] = act(b[o] + sum_k A[o, k] * P[off(k) + y * PW + x])
///         with k = (i * kH + ky) * kW + kx and off(k) = i * PH * PW + ky * dY * PW + kx * dX
///
/// where `P` is the input copied into zero-padded planes in scratch (`PH x PW` each, `P[i, r, c]
/// = in[i, r - pT, c - pL]`). Each output row is a matrix product whose `B` rows are shifted
/// input rows read in place (`off(k)` from a table), so the input is copied once instead of
/// `kH * kW` times. Blocks of 4 output channels by 24, 16 or 8 columns keep 12, 8 or 4 SIMD8
/// accumulators; the last column block of a row overlaps its neighbour (same values written
/// twice), the last channel block computes padded rows of `A` (zeros) and stores only its own.
struct ShiftedRowsConvolution: Sendable {
    let geometry: ConvolutionGeometry
    /// `A` k-major with rows padded to a multiple of 4: `packed[k * rowStride + o]`, zero for
    /// `o >= O`, 3 floats of slack at the end (blocks may start at any channel).
    let packed: [Float]
    let rowStride: Int
    /// Bias padded the same way.
    let bias: [Float]
    let relu: Bool
    /// `off(k)` in floats, K entries.
    let offsets: [Int32]
    let paddedHeight: Int
    let paddedWidth: Int

    /// True where this beats im2col: one group, stride 1, rows of at least 16 columns, and a
    /// padded input small enough to stay in L2 (256 KiB).
    static func accepts(_ g: ConvolutionGeometry) -> Bool {
        g.groups == 1 && g.strideY == 1 && g.strideX == 1 && g.kernelHeight * g.kernelWidth > 1
            && g.outputWidth >= 16
            && g.inputChannels * (g.inputHeight + g.padTop + g.padBottom) * (g.inputWidth + g.padLeft + g.padRight)
                <= 65_536
    }

    init(geometry g: ConvolutionGeometry, weights: [Float], bias: [Float], activation: Activation) {
        geometry = g
        let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
        rowStride = (g.outputChannels + 3) / 4 * 4
        var packed = [Float](repeating: 0, count: depth * rowStride + 3)
        for o in 0..<g.outputChannels {
            for k in 0..<depth { packed[k * rowStride + o] = weights[o * depth + k] }
        }
        self.packed = packed
        self.bias = bias + [Float](repeating: 0, count: rowStride + 3 - bias.count)
        relu = activation == .relu
        paddedHeight = g.inputHeight + g.padTop + g.padBottom
        paddedWidth = g.inputWidth + g.padLeft + g.padRight
        var offsets = [Int32]()
        for i in 0..<g.inputChannels {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    offsets.append(
                        Int32((i * paddedHeight + ky * g.dilationY) * paddedWidth + kx * g.dilationX))
                }
            }
        }
        self.offsets = offsets
    }

    /// Floats of scratch: the padded input planes.
    var scratchCount: Int { geometry.inputChannels * paddedHeight * paddedWidth }

    /// Computes output channels `channels` for output rows `rows`; copies only the input rows
    /// those output rows read.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        channels: Range<Int>, rows: Range<Int>
    ) {
        if channels.isEmpty || rows.isEmpty { return }
        let g = geometry
        copyPadded(input, rows: rows.lowerBound..<(rows.upperBound + (g.kernelHeight - 1) * g.dilationY), into: scratch)
        let ow = g.outputWidth
        let planeOut = g.outputHeight * ow
        packed.withUnsafeBufferPointer { a in
            bias.withUnsafeBufferPointer { b in
                offsets.withUnsafeBufferPointer { offsets in
                    for y in rows {
                        var o = channels.lowerBound
                        while o < channels.upperBound {
                            let block = ShiftedRowBlock(
                                a: a.baseAddress! + o, aStride: rowStride, offsets: offsets.baseAddress!,
                                depth: offsets.count, b: UnsafePointer(scratch + y * paddedWidth),
                                c: output + o * planeOut + y * ow, cStride: planeOut,
                                bias: b.baseAddress! + o, rows: min(4, channels.upperBound - o), relu: relu)
                            var n = 0
                            while n < ow {
                                let remaining = ow - n
                                if remaining >= 24 || (remaining > 16 && ow >= 24) {
                                    let at = min(n, ow - 24)
                                    block.columns24(at)
                                    n = at + 24
                                } else if remaining > 8 {
                                    let at = min(n, ow - 16)
                                    block.columns16(at)
                                    n = at + 16
                                } else {
                                    let at = min(n, ow - 8)
                                    block.columns8(at)
                                    n = at + 8
                                }
                            }
                            o += 4
                        }
                    }
                }
            }
        }
    }

    /// P[i, r, c] for padded rows `rows` (clipped to the plane): zero rows and columns for the
    /// padding, the input row in between.
    private func copyPadded(_ input: UnsafePointer<Float>, rows: Range<Int>, into padded: UnsafeMutablePointer<Float>) {
        let g = geometry
        let w = g.inputWidth
        let pw = paddedWidth
        let last = rows.upperBound < paddedHeight ? rows.upperBound : paddedHeight
        for i in 0..<g.inputChannels {
            let plane = input + i * g.inputHeight * w
            for r in rows.lowerBound..<last {
                let dst = padded + (i * paddedHeight + r) * pw
                let iy = r - g.padTop
                if iy < 0 || iy >= g.inputHeight {
                    dst.update(repeating: 0, count: pw)
                    continue
                }
                for x in 0..<g.padLeft { dst[x] = 0 }
                VectorCopy.copy(plane + iy * w, to: dst + g.padLeft, count: w)
                for x in (g.padLeft + w)..<pw { dst[x] = 0 }
            }
        }
    }
}
