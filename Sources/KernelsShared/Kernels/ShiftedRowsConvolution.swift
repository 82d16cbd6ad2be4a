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
    /// `A` in blocks of 4 output channels, each k-major: `packed[((o / 4) * K + k) * 4 + o % 4]`,
    /// zero for `o >= O` (so one depth step of a block is one 16-byte read, and a block streams
    /// through its weights in order).
    let packed: [Float]
    /// O rounded up to a multiple of 4.
    let rowStride: Int
    /// Bias padded the same way.
    let bias: [Float]
    let relu: Bool
    /// `off(k)` in floats, K entries.
    let offsets: [Int32]
    let paddedHeight: Int
    let paddedWidth: Int
    /// Rows under 16 columns: all output rows are one run of columns (see `run`), written to
    /// staging rows of `stagingStride` floats per output channel, then copied out.
    let flattened: Bool
    let stagingStride: Int

    /// True where this beats im2col: one group, stride 1, and a padded input small enough to
    /// stay in L2 (512 KiB; measured on 16x60x80: 100 GFLOP/s against 69 with im2col).
    static func accepts(_ g: ConvolutionGeometry) -> Bool {
        g.groups == 1 && g.strideY == 1 && g.strideX == 1 && g.kernelHeight * g.kernelWidth > 1
            && g.inputChannels * (g.inputHeight + g.padTop + g.padBottom) * (g.inputWidth + g.padLeft + g.padRight)
                <= 131_072
    }

    init(geometry g: ConvolutionGeometry, weights: [Float], bias: [Float], activation: Activation) {
        geometry = g
        let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
        rowStride = (g.outputChannels + 3) / 4 * 4
        var packed = [Float](repeating: 0, count: depth * rowStride)
        for o in 0..<g.outputChannels {
            for k in 0..<depth { packed[(o / 4 * depth + k) * 4 + o % 4] = weights[o * depth + k] }
        }
        self.packed = packed
        self.bias = bias + [Float](repeating: 0, count: rowStride - bias.count)
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
        flattened = g.outputWidth < 16
        let columns = (g.outputHeight - 1) * paddedWidth + g.outputWidth
        stagingStride = flattened ? max(8, (columns + 7) / 8 * 8) : 0
    }

    /// Floats before the staging rows: the padded input planes and 8 floats that a block of
    /// 8 columns wider than a narrow run may read (into dropped lanes).
    private var stagingOffset: Int { geometry.inputChannels * paddedHeight * paddedWidth + 8 }

    /// Floats of scratch: the padded input planes, their slack and the staging rows.
    var scratchCount: Int { stagingOffset + (flattened ? rowStride * stagingStride : 0) }

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
        // Narrow maps: the output rows as one run of columns m = y * PW + x of the padded
        // geometry (the columns x >= OW of each row are computed and dropped), into staging.
        let firstColumn = flattened ? rows.lowerBound * paddedWidth : 0
        let columns = flattened ? (rows.upperBound - 1) * paddedWidth + ow - firstColumn : ow
        let staging = scratch + stagingOffset
        packed.withUnsafeBufferPointer { a in
            bias.withUnsafeBufferPointer { b in
                offsets.withUnsafeBufferPointer { offsets in
                    for y in flattened ? rows.lowerBound..<(rows.lowerBound + 1) : rows {
                        // Whole blocks of 4 channels; rows outside `channels` are dropped.
                        var o = channels.lowerBound / 4 * 4
                        while o < channels.upperBound {
                            let block = ShiftedRowBlock(
                                a: a.baseAddress! + o * offsets.count, aStride: 4, offsets: offsets.baseAddress!,
                                depth: offsets.count, b: UnsafePointer(scratch + y * paddedWidth),
                                c: flattened ? staging + o * stagingStride : output + o * planeOut + y * ow,
                                cStride: flattened ? stagingStride : planeOut, bias: b.baseAddress! + o,
                                stored: (max(o, channels.lowerBound) - o)..<(min(o + 4, channels.upperBound) - o),
                                relu: relu)
                            block.run(columns: columns)
                            o += 4
                        }
                    }
                }
            }
        }
        guard flattened else { return }
        for o in channels {
            for y in rows {
                let from = staging + o * stagingStride + y * paddedWidth - firstColumn
                let to = output + o * planeOut + y * ow
                for x in 0..<ow { to[x] = from[x] }
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
        if rows.lowerBound == 0 && last == paddedHeight {
            // Every row: zero all planes at once (one call), then copy the input rows in.
            padded.update(repeating: 0, count: g.inputChannels * paddedHeight * pw)
            for i in 0..<g.inputChannels {
                let plane = input + i * g.inputHeight * w
                let dst = padded + (i * paddedHeight + g.padTop) * pw + g.padLeft
                for iy in 0..<min(g.inputHeight, paddedHeight - g.padTop) {
                    VectorCopy.copy(plane + iy * w, to: dst + iy * pw, count: w)
                }
            }
            return
        }
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
