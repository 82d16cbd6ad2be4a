import NeuralKernelsCore

/// 3x3 depthwise convolution read straight from the input planes, with no padded copy, for the
/// network's large maps: left padding 1 and horizontal stride 2, or stride 1 on rows of more than
/// 128 columns, with a right edge the last output block reaches with at most one zero column (see
/// `accepts`). Vertical stride and padding are free: a kernel row outside the input reads a row of
/// zeros.
///
/// It computes exactly what `DepthwiseConvolution3x3.runRows` computes on its padded copy (the
/// same multiply-adds in the same order, a zero for every padded place); only the loads differ:
/// - stride 1: taps 0, 1, 2 of the eight outputs from `x` are the input row at columns `c`,
///   `c + 1` and `c + 2`, `c = x - 1`;
/// - stride 2: they are columns `2x - 1 + 2j`, `2x + 2j` and `2x + 1 + 2j`, read from the input
///   row split into its odd and even columns in a few rows of scratch that stay in L1 (the padded
///   path splits the whole plane into its copy, which goes out to memory on a 120x160 map).
/// Column -1 (the left padding) is a zero shifted into tap 0 of the first block (stride 1) or
/// the zero in front of the split row's odd columns (stride 2), and on stride 1 column `W` (the
/// right padding) a zero shifted into tap 2 of the last block. With stride 1 the middle blocks
/// and the two edge blocks run as two loops over the rows of a channel, which keeps the middle
/// loop a plain run of loads and FMAs.
struct DirectDepthwise3x3: Sendable {
    let geometry: ConvolutionGeometry
    /// The left block's taps read columns -1 ..< 16 (stride 2) or -1 ..< 9 (stride 1); the last
    /// block starts at `lastBlock`.
    let lastBlock: Int
    /// The bytes of one float, kept as a stored value: with the tap offsets known at compile time
    /// LLVM merges the overlapping loads of a row into 128-bit pieces and scalar products, and
    /// spills the weights (3x slower); as a run-time offset each tap stays one 256-bit load.
    let floatBytes: Int

    /// True when every tap of every output lies in columns -1 ... W (stride 1) or -1 ... W - 1
    /// (stride 2), and a row has at least two whole blocks.
    static func accepts(_ g: ConvolutionGeometry) -> Bool {
        guard DepthwiseConvolution3x3.accepts(g), g.padLeft == 1, g.outputWidth >= 16 else { return false }
        // Stride 1 up to 128 columns: the padded path's row pairs are faster (30x40: 0.025 against
        // 0.041 ms, 60x80: 0.057 against 0.065 ms for this kernel's single rows).
        guard g.strideX == 2 || g.outputWidth > 128 else { return false }
        // The rightmost column any tap reads.
        let rightmost = (g.outputWidth - 1) * g.strideX - g.padLeft + 2
        return g.strideX == 1 ? rightmost <= g.inputWidth : rightmost <= g.inputWidth - 1
    }

    init(geometry: ConvolutionGeometry) {
        precondition(Self.accepts(geometry))
        self.geometry = geometry
        lastBlock = geometry.outputWidth - 8
        floatBytes = MemoryLayout<Float>.stride
    }

    /// Floats of scratch: one row of zeros for the kernel rows above and below the input, then
    /// when `splitsRows` three split rows (from a multiple of 16 floats).
    var scratchCount: Int { zeroRowFloats + (splitsRows ? 3 * splitRowFloats : 0) }

    /// Stride 2 on rows of more than 64 outputs splits each input row once into odd and even
    /// columns (`runChannelStride2`); narrower rows split in the taps (`runChannelStride2InTaps`),
    /// where the per-row work of splitting costs more than it saves (64 channels of 30x40: 0.023
    /// against 0.019 ms; 32 of 120x160: 0.092 against 0.115 ms).
    var splitsRows: Bool { geometry.strideX == 2 && geometry.outputWidth > 64 }

    /// Floats of the row of zeros at the start of scratch, rounded up to 64 bytes.
    var zeroRowFloats: Int { (geometry.inputWidth + 8 + 15) / 16 * 16 }

    /// Computes channels `channels` of `output` from `input` (NCHW); `weights` are `[C][3][3]`.
    /// All pointers are borrowed for the call; `scratch` (`scratchCount` floats) is overwritten.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        weights: UnsafePointer<Float>, bias: [Float], relu: Bool, channels: Range<Int>
    ) {
        scratch.update(repeating: 0, count: zeroRowFloats)
        run(
            input: input, rows: 0..<geometry.inputHeight, output: output, scratch: scratch, weights: weights,
            bias: bias, relu: relu, channels: channels, outputRows: 0..<geometry.outputHeight)
    }

    /// Computes output rows `outputRows` of channels `channels` when `input` holds only the input
    /// rows `rows` (a band: its channels `rows.count * W` floats apart). Every input row inside
    /// the picture that those outputs read must be in `rows`. `output` is the whole NCHW output;
    /// `scratch` is `scratchCount` floats whose first `zeroRowFloats` the caller has set to zero
    /// (once for all its bands); the rest is overwritten.
    func run(
        input: UnsafePointer<Float>, rows: Range<Int>, output: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>, bias: [Float], relu: Bool,
        channels: Range<Int>, outputRows: Range<Int>
    ) {
        let g = geometry
        let band = Band(zeros: scratch, rows: rows, width: g.inputWidth)
        let slots = scratch + zeroRowFloats
        let planeIn = rows.count * g.inputWidth
        let planeOut = g.outputHeight * g.outputWidth
        for c in channels {
            if g.strideX == 1 {
                runChannelStride1(
                    input + c * planeIn, output + c * planeOut, weights + 9 * c, bias[c], relu, band, outputRows)
            } else if splitsRows {
                runChannelStride2(
                    input + c * planeIn, output + c * planeOut, weights + 9 * c, bias[c], relu, band, outputRows, slots)
            } else {
                runChannelStride2InTaps(
                    input + c * planeIn, output + c * planeOut, weights + 9 * c, bias[c], relu, band, outputRows)
            }
        }
    }

    /// Which input rows a channel's plane holds, and the row of zeros read for any other.
    struct Band {
        let zeros: UnsafePointer<Float>
        let rows: Range<Int>
        let width: Int

        /// Input row `iy` of `plane` (whose first row is `rows.lowerBound`), or the row of zeros.
        @inline(__always)
        func row(_ iy: Int, _ plane: UnsafePointer<Float>) -> UnsafePointer<Float> {
            iy >= rows.lowerBound && iy < rows.upperBound ? plane + (iy - rows.lowerBound) * width : zeros
        }

        /// The three input rows kernel rows 0, 1, 2 of output row `y` read.
        @inline(__always)
        func rows(of y: Int, _ plane: UnsafePointer<Float>, _ g: ConvolutionGeometry) -> (
            UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>
        ) {
            let top = y * g.strideY - g.padTop
            return (row(top, plane), row(top + 1, plane), row(top + 2, plane))
        }
    }

    typealias Weights = (
        SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
        SIMD8<Float>, SIMD8<Float>
    )

    /// The nine weights of one channel, each in every lane.
    @inline(__always)
    private func broadcast(_ w: UnsafePointer<Float>) -> Weights {
        (
            SIMD8<Float>(repeating: w[0]), SIMD8<Float>(repeating: w[1]), SIMD8<Float>(repeating: w[2]),
            SIMD8<Float>(repeating: w[3]), SIMD8<Float>(repeating: w[4]), SIMD8<Float>(repeating: w[5]),
            SIMD8<Float>(repeating: w[6]), SIMD8<Float>(repeating: w[7]), SIMD8<Float>(repeating: w[8])
        )
    }

    /// Stride 1, one channel: the middle blocks of every row, then the two edge blocks of every
    /// row (two loops, so that the middle one stays a plain run of loads and FMAs).
    @inline(never)
    private func runChannelStride1(
        _ plane: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>,
        _ bias: Float, _ relu: Bool, _ band: Band, _ outputRows: Range<Int>
    ) {
        let k = broadcast(w)
        let start = SIMD8<Float>(repeating: bias)
        let g = geometry
        let (one, two) = (floatBytes, 2 * floatBytes)
        // Middle blocks 8, 16, ... below `lastBlock`: columns x - 1 ..< x + 9, all inside.
        for y in outputRows {
            let (r0, r1, r2) = band.rows(of: y, plane, g)
            let out = output + y * g.outputWidth
            var x = 8
            while x < lastBlock {
                let q = (x - 1) * floatBytes
                let acc =
                    taps(start, r0, q, q + one, q + two, k.0, k.1, k.2)
                    + taps(.zero, r1, q, q + one, q + two, k.3, k.4, k.5)
                    + taps(.zero, r2, q, q + one, q + two, k.6, k.7, k.8)
                store(acc, out + x, relu)
                x += 8
            }
        }
        // Block 0 (column -1 is a zero in lane 0 of tap 0) and the last block (when it reaches
        // column W, a zero in lane 7 of tap 2).
        let q = (lastBlock - 1) * floatBytes
        let reachesPadding = lastBlock + 9 > g.inputWidth
        for y in outputRows {
            let (r0, r1, r2) = band.rows(of: y, plane, g)
            let out = output + y * g.outputWidth
            let (a0, b0) = (load(r0, 0), load(r0, one))
            let (a1, b1) = (load(r1, 0), load(r1, one))
            let (a2, b2) = (load(r2, 0), load(r2, one))
            let first =
                taps(start, shiftedIn(a0), a0, b0, k.0, k.1, k.2) + taps(.zero, shiftedIn(a1), a1, b1, k.3, k.4, k.5)
                + taps(.zero, shiftedIn(a2), a2, b2, k.6, k.7, k.8)
            store(first, out, relu)
            let last: SIMD8<Float>
            if reachesPadding {
                let (c0, d0) = (load(r0, q), load(r0, q + one))
                let (c1, d1) = (load(r1, q), load(r1, q + one))
                let (c2, d2) = (load(r2, q), load(r2, q + one))
                last =
                    taps(start, c0, d0, shiftedOut(d0), k.0, k.1, k.2)
                    + taps(.zero, c1, d1, shiftedOut(d1), k.3, k.4, k.5)
                    + taps(.zero, c2, d2, shiftedOut(d2), k.6, k.7, k.8)
            } else {
                last =
                    taps(start, r0, q, q + one, q + two, k.0, k.1, k.2)
                    + taps(.zero, r1, q, q + one, q + two, k.3, k.4, k.5)
                    + taps(.zero, r2, q, q + one, q + two, k.6, k.7, k.8)
            }
            store(last, out + lastBlock, relu)
        }
    }

    /// One input row split into its odd and even columns (`splitRow`), or a row of zeros.
    struct SplitRow {
        /// `odd[0]` = 0 (column -1, the left padding), `odd[j + 1]` = column 2j + 1.
        let odd: UnsafePointer<Float>
        /// `even[j]` = column 2j.
        let even: UnsafePointer<Float>
    }

    /// Floats of one split row in scratch: the odd columns (with the zero in front), then the
    /// even ones from the next 64-byte boundary.
    var splitRowFloats: Int { 2 * splitHalfFloats }
    private var splitHalfFloats: Int { (geometry.outputWidth + 1 + 15) / 16 * 16 }

    /// Splits columns 0 ..< 2 * OW of `row` into `slot` (`splitRowFloats`): 16 columns at a time,
    /// the even half (a `vshufps` and a `vpermpd`) to `even`, the odd half one place on in `odd`.
    /// The last block may overlap the one before it (same values written twice).
    @inline(__always)
    private func splitRow(_ row: UnsafePointer<Float>, into slot: UnsafeMutablePointer<Float>) -> SplitRow {
        let odd = slot
        let even = slot + splitHalfFloats
        odd[0] = 0
        let columns = 2 * geometry.outputWidth
        var c = 0
        while c &+ 16 <= columns {
            splitBlock(row, at: c, odd, even)
            c &+= 16
        }
        if c < columns { splitBlock(row, at: columns &- 16, odd, even) }
        return SplitRow(odd: odd, even: even)
    }

    /// Columns `at ..< at + 16` (`at` even) of `row` into `even` and `odd`.
    @inline(__always)
    private func splitBlock(
        _ row: UnsafePointer<Float>, at: Int, _ odd: UnsafeMutablePointer<Float>, _ even: UnsafeMutablePointer<Float>
    ) {
        let v = UnsafeRawPointer(row + at).loadUnaligned(as: SIMD16<Float>.self)
        let half = at &>> 1
        UnsafeMutableRawPointer(even + half).storeBytes(of: v.evenHalf, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(odd + (half &+ 1)).storeBytes(of: v.oddHalf, as: SIMD8<Float>.self)
    }

    /// Stride 2, one channel. Each input row a kernel row reads is split once into its odd and
    /// even columns in `slots` (three rows of `splitRowFloats`, in L1), and the taps of the eight
    /// outputs from `x` are then plain loads: column 2x - 1 + 2j is `odd[x + j]`, 2x + 2j
    /// `even[x + j]`, 2x + 1 + 2j `odd[x + 1 + j]`. With vertical stride 2 the last kernel row of
    /// one output row is the first of the next, so that row is split once for both: two splits
    /// per output row, against three half-extractions per kernel row and output vector when the
    /// taps are split where they are used (0.097 against 0.107-0.118 ms on 32 channels of
    /// 120x160).
    @inline(never)
    private func runChannelStride2(
        _ plane: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>,
        _ bias: Float, _ relu: Bool, _ band: Band, _ outputRows: Range<Int>, _ slots: UnsafeMutablePointer<Float>
    ) {
        let k = broadcast(w)
        let start = SIMD8<Float>(repeating: bias)
        let g = geometry
        let one = floatBytes
        let zeros = SplitRow(odd: band.zeros, even: band.zeros)
        // Input row `iy` split into `slot`, or the zeros when the row is outside the band.
        func split(_ iy: Int, _ slot: UnsafeMutablePointer<Float>) -> SplitRow {
            let row = band.row(iy, plane)
            return row == band.zeros ? zeros : splitRow(row, into: slot)
        }
        // The row kernel row 2 read last time, kept in `slot.2` for the next output row.
        var kept = (row: Int.min, split: zeros)
        var slot = (slots, slots + splitRowFloats, slots + 2 * splitRowFloats)
        for y in outputRows {
            let top = y * g.strideY - g.padTop
            let s0: SplitRow
            let s1: SplitRow
            let s2: SplitRow
            if top == kept.row {
                s0 = kept.split
                s1 = split(top + 1, slot.0)
                s2 = split(top + 2, slot.1)
                // s2's slot becomes slot.2; s0's is free again.
                slot = (slot.2, slot.0, slot.1)
            } else {
                s0 = split(top, slot.0)
                s1 = split(top + 1, slot.1)
                s2 = split(top + 2, slot.2)
            }
            kept = (top + 2, s2)
            let out = output + y * g.outputWidth
            var x = 0
            while true {
                let block = min(x, lastBlock)
                let q = block &* floatBytes
                let q1 = q &+ one
                let acc =
                    taps(start, load(s0.odd, q), load(s0.even, q), load(s0.odd, q1), k.0, k.1, k.2)
                    + taps(.zero, load(s1.odd, q), load(s1.even, q), load(s1.odd, q1), k.3, k.4, k.5)
                    + taps(.zero, load(s2.odd, q), load(s2.even, q), load(s2.odd, q1), k.6, k.7, k.8)
                store(acc, out + block, relu)
                if block == lastBlock { break }
                x &+= 8
            }
        }
    }

    /// Stride 2 on narrow rows, one channel, splitting in the taps: blocks 8, 16, ... and the last
    /// of every row, then block 0 of every row (taps 1 and 2 the even and odd columns 0 ..< 16, tap
    /// 0 the odd ones one lane later with a zero, column -1, in lane 0). Taps 0 and 1 of a block
    /// are the even and odd half of the 16 columns from `2x - 1`, tap 2 the odd half of those from
    /// `2x` (each half a `vshufps` and a `vpermpd`).
    @inline(never)
    private func runChannelStride2InTaps(
        _ plane: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>,
        _ bias: Float, _ relu: Bool, _ band: Band, _ outputRows: Range<Int>
    ) {
        let k = broadcast(w)
        let start = SIMD8<Float>(repeating: bias)
        let g = geometry
        for y in outputRows {
            let (r0, r1, r2) = band.rows(of: y, plane, g)
            let out = output + y * g.outputWidth
            var x = 8
            while true {
                let block = min(x, lastBlock)
                let q = (2 * block - 1) * floatBytes
                let acc =
                    taps(start, r0, q, k.0, k.1, k.2) + taps(.zero, r1, q, k.3, k.4, k.5)
                    + taps(.zero, r2, q, k.6, k.7, k.8)
                store(acc, out + block, relu)
                if block == lastBlock { break }
                x += 8
            }
        }
        for y in outputRows {
            let (r0, r1, r2) = band.rows(of: y, plane, g)
            let v0 = UnsafeRawPointer(r0).loadUnaligned(as: SIMD16<Float>.self)
            let v1 = UnsafeRawPointer(r1).loadUnaligned(as: SIMD16<Float>.self)
            let v2 = UnsafeRawPointer(r2).loadUnaligned(as: SIMD16<Float>.self)
            let (e0, o0) = (v0.evenHalf, v0.oddHalf)
            let (e1, o1) = (v1.evenHalf, v1.oddHalf)
            let (e2, o2) = (v2.evenHalf, v2.oddHalf)
            let acc =
                taps(start, shiftedIn(o0), e0, o0, k.0, k.1, k.2) + taps(.zero, shiftedIn(o1), e1, o1, k.3, k.4, k.5)
                + taps(.zero, shiftedIn(o2), e2, o2, k.6, k.7, k.8)
            store(acc, output + y * g.outputWidth, relu)
        }
    }

    /// Stride 1: `acc + k0 * r[q0 ..< q0+8] + k1 * r[q1 ..< q1+8] + k2 * r[q2 ..< q2+8]` (byte
    /// offsets).
    @inline(__always)
    private func taps(
        _ acc: SIMD8<Float>, _ r: UnsafePointer<Float>, _ q0: Int, _ q1: Int, _ q2: Int, _ k0: SIMD8<Float>,
        _ k1: SIMD8<Float>, _ k2: SIMD8<Float>
    ) -> SIMD8<Float> {
        taps(acc, load(r, q0), load(r, q1), load(r, q2), k0, k1, k2)
    }

    /// Stride 2: `acc + k0 * row[c + 2j] + k1 * row[c + 2j + 1] + k2 * row[c + 2j + 2]` for the eight
    /// lanes j, `q` the byte offset of column c. Reads columns c ..< c + 17.
    @inline(__always)
    private func taps(
        _ acc: SIMD8<Float>, _ r: UnsafePointer<Float>, _ q: Int, _ k0: SIMD8<Float>, _ k1: SIMD8<Float>,
        _ k2: SIMD8<Float>
    ) -> SIMD8<Float> {
        // Columns c ..< c + 16 and c + 1 ..< c + 17: the even and odd halves of the first are taps
        // 0 and 1, the odd half of the second tap 2 (each half a `vshufps` and a `vpermpd`).
        let a = UnsafeRawPointer(r).loadUnaligned(fromByteOffset: q, as: SIMD16<Float>.self)
        let b = UnsafeRawPointer(r).loadUnaligned(fromByteOffset: q + floatBytes, as: SIMD16<Float>.self)
        return taps(acc, a.evenHalf, a.oddHalf, b.oddHalf, k0, k1, k2)
    }

    /// acc + k0 * t0 + k1 * t1 + k2 * t2, in that order (the padded path's order).
    @inline(__always)
    private func taps(
        _ acc: SIMD8<Float>, _ t0: SIMD8<Float>, _ t1: SIMD8<Float>, _ t2: SIMD8<Float>, _ k0: SIMD8<Float>,
        _ k1: SIMD8<Float>, _ k2: SIMD8<Float>
    ) -> SIMD8<Float> {
        multiplyAdd(multiplyAdd(multiplyAdd(acc, t0, k0), t1, k1), t2, k2)
    }

    /// The eight floats from byte offset `q` of row `r`.
    @inline(__always)
    private func load(_ r: UnsafePointer<Float>, _ q: Int) -> SIMD8<Float> {
        UnsafeRawPointer(r).loadUnaligned(fromByteOffset: q, as: SIMD8<Float>.self)
    }

    /// (0, v0, ..., v6): the lanes one place later, a zero in front.
    @inline(__always)
    private func shiftedIn(_ v: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(0, v[0], v[1], v[2], v[3], v[4], v[5], v[6])
    }

    /// (v1, ..., v7, 0): the lanes one place earlier, a zero behind.
    @inline(__always)
    private func shiftedOut(_ v: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(v[1], v[2], v[3], v[4], v[5], v[6], v[7], 0)
    }

    @inline(__always)
    private func store(_ value: SIMD8<Float>, _ out: UnsafeMutablePointer<Float>, _ relu: Bool) {
        let v = relu ? value.replacing(with: 0, where: value .< 0) : value
        UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
