import NeuralKernelsCore

/// Dense 3x3 convolution over a few input channels (the first layer of a network, on the RGB
/// image), dilation 1, one group, horizontal stride 1 or 2, any vertical stride and padding,
/// computed directly from the input rows (no im2col):
///
///     out[o, y, x] = act(b[o] + sum_{i < C, ky, kx < 3} w[o, i, ky, kx] * P[i, y*sY + ky, x*sX + kx])
///
/// where `P[i, r, c] = in[i, r - pT, c - pL]` inside the input and 0 outside. The padded input
/// rows an output row needs are built once into a ring of three row slots in scratch (`P` row
/// `r` in slot `r % 3`, one row per input channel), so every row is built once per run:
/// - stride 1: the row as is, `R[c] = P[r, c]`, and taps `kx` of columns `x ..< x+8` are
///   `R[x+kx ..< x+kx+8]`;
/// - stride 2: the row split into even and odd columns, `E[j] = P[r, 2j]`, `O[j] = P[r, 2j+1]`,
///   so taps 0, 1, 2 of columns `x ..< x+8` are `E[x ..< x+8]`, `O[x ..< x+8]`, `E[x+1 ..< x+9]`.
///
/// Each block of 4 output channels x 24 columns keeps 12 SIMD8 accumulators in registers and
/// sums the `9 * C` taps with 3 vector loads and 4 broadcast weights each.
struct StemConvolution3x3: Sendable {
    let geometry: ConvolutionGeometry
    /// Weights tap-major: `packed[t * paddedChannels + o] = w[o, i, ky, kx]`, with
    /// `t = (ky * C + i) * 3 + kx`, and zero for `o >= O`.
    let packed: [Float]
    /// `bias[o]`, zero for `o >= O`.
    let bias: [Float]
    /// O + 3, so that a block of 4 channels starting at any `o < O` reads inside `packed`.
    let paddedChannels: Int
    let relu: Bool
    /// Floats of one row slot of one channel: stride 1 `max(OW, 8) + 2`, stride 2 `2 * halfWidth`.
    let rowFloats: Int
    /// Stride 2: floats of the `E` (and of the `O`) half of a row slot, `max(OW, 8) + 1`.
    let halfWidth: Int
    /// Float offsets of taps kx = 1 and 2 within a row slot.
    let tapOffset1: Int
    let tapOffset2: Int

    /// Input channels up to which this kernel is chosen (beyond, im2col's matrix product wins).
    static let maximumInputChannels = 4

    /// True for the geometries this kernel handles.
    static func accepts(_ g: ConvolutionGeometry) -> Bool {
        g.groups == 1 && g.inputChannels <= maximumInputChannels && g.kernelHeight == 3 && g.kernelWidth == 3
            && g.dilationY == 1 && g.dilationX == 1 && (g.strideX == 1 || g.strideX == 2)
    }

    init(geometry g: ConvolutionGeometry, weights: [Float], bias: [Float], activation: Activation) {
        geometry = g
        let channels = g.inputChannels
        paddedChannels = g.outputChannels + 3
        var packed = [Float](repeating: 0, count: 9 * channels * paddedChannels)
        for o in 0..<g.outputChannels {
            for i in 0..<channels {
                for ky in 0..<3 {
                    for kx in 0..<3 {
                        let t = (ky * channels + i) * 3 + kx
                        packed[t * paddedChannels + o] = weights[((o * channels + i) * 3 + ky) * 3 + kx]
                    }
                }
            }
        }
        self.packed = packed
        self.bias = bias + [Float](repeating: 0, count: 3)
        relu = activation == .relu
        halfWidth = max(g.outputWidth, 8) + 1
        rowFloats = g.strideX == 1 ? max(g.outputWidth, 8) + 2 : 2 * halfWidth
        tapOffset1 = g.strideX == 1 ? 1 : halfWidth
        tapOffset2 = g.strideX == 1 ? 2 : 1
    }

    /// Floats of scratch one run needs: three row slots of every input channel.
    var scratchCount: Int { 3 * geometry.inputChannels * rowFloats }

    /// Computes output channels `channels` for output rows `rows`.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        channels: Range<Int>, rows: Range<Int>
    ) {
        let g = geometry
        let ow = g.outputWidth
        let planeOut = g.outputHeight * ow
        let slotFloats = g.inputChannels * rowFloats
        var built = 0
        packed.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                for y in rows {
                    let first = y * g.strideY
                    for r in max(first, built)..<(first + 3) {
                        buildRow(r, input: input, slot: scratch + r % 3 * slotFloats)
                    }
                    built = first + 3
                    let slots = (
                        UnsafeRawPointer(scratch + first % 3 * slotFloats),
                        UnsafeRawPointer(scratch + (first + 1) % 3 * slotFloats),
                        UnsafeRawPointer(scratch + (first + 2) % 3 * slotFloats)
                    )
                    var o = channels.lowerBound
                    while o < channels.upperBound {
                        let count = min(4, channels.upperBound - o)
                        let out = output + o * planeOut + y * ow
                        let block = Block(
                            slots: slots, weights: w.baseAddress! + o, bias: b.baseAddress! + o, kernel: self)
                        var x = 0
                        if ow >= 24 {
                            while x < ow {
                                let start = min(x, ow - 24)
                                block.columns24(start, output: out, planeStride: planeOut, channels: count)
                                x = start + 24
                            }
                        } else {
                            while x < ow {
                                let start = ow >= 8 ? min(x, ow - 8) : 0
                                block.columns8(start, output: out, planeStride: planeOut, channels: count)
                                x = start + 8
                            }
                        }
                        o += 4
                    }
                }
            }
        }
    }

    /// Writes padded row `r` of every input channel into `slot` (`C` rows of `rowFloats`): the
    /// row itself at stride 1, its `E` then `O` halves at stride 2; zero outside the input.
    private func buildRow(_ r: Int, input: UnsafePointer<Float>, slot: UnsafeMutablePointer<Float>) {
        let g = geometry
        let iy = r - g.padTop
        for i in 0..<g.inputChannels {
            let dst = slot + i * rowFloats
            guard iy >= 0 && iy < g.inputHeight else {
                dst.update(repeating: 0, count: rowFloats)
                continue
            }
            let src = input + (i * g.inputHeight + iy) * g.inputWidth
            if g.strideX == 1 {
                buildPlainRow(src, into: dst)
            } else {
                buildSplitRow(src, into: dst)
            }
        }
    }

    /// R[c] = in[c - pL] for 0 <= c - pL < W, else 0, for c < rowFloats.
    private func buildPlainRow(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>) {
        let pl = geometry.padLeft
        let left = min(pl, rowFloats)
        let end = min(rowFloats, geometry.inputWidth + pl)
        if left > 0 { dst.update(repeating: 0, count: left) }
        if end > left { (dst + left).update(from: src, count: end - left) }
        let right = max(left, end)
        if right < rowFloats { (dst + right).update(repeating: 0, count: rowFloats - right) }
    }

    /// E[j] = R[2j], O[j] = R[2j + 1] for j < halfWidth, with R as in `buildPlainRow`; sixteen
    /// input columns at a time where they all lie inside the row.
    private func buildSplitRow(_ src: UnsafePointer<Float>, into even: UnsafeMutablePointer<Float>) {
        let pl = geometry.padLeft
        let width = geometry.inputWidth
        let odd = even + halfWidth
        func value(_ c: Int) -> Float { c >= pl && c - pl < width ? src[c - pl] : 0 }
        var j = 0
        // The first j whose column 2j is inside the row.
        let vectorStart = min(halfWidth, (pl + 1) / 2)
        while j < vectorStart {
            even[j] = value(2 * j)
            odd[j] = value(2 * j + 1)
            j += 1
        }
        while j + 8 <= halfWidth && 2 * j - pl + 16 <= width {
            let v = UnsafeRawPointer(src + 2 * j - pl).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(even + j).storeBytes(of: v.evenHalf, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(odd + j).storeBytes(of: v.oddHalf, as: SIMD8<Float>.self)
            j += 8
        }
        while j < halfWidth {
            even[j] = value(2 * j)
            odd[j] = value(2 * j + 1)
            j += 1
        }
    }
}
