import NeuralKernelsCore

#if canImport(Glibc)
    import Glibc
#endif

/// A 1x1 convolution followed by a 3x3 stride-2 depthwise convolution, computed in bands of
/// output rows so that the intermediate map never leaves L2:
///
///     mid[m, p]     = act1(b1[m] + sum_i w1[m, i] * in[i, p])                       (1x1, C -> M)
///     out[m, y, x]  = act2(b2[m] + sum_{ky, kx < 3} w2[m, ky, kx] * mid[m, 2y - pT + ky, 2x - pL + kx])
///
/// with `mid` taps outside the map being zero (the depthwise padding). For a band of output rows
/// `y0 ..< y1` the pointwise writes the `2 (y1 - y0) + 1` input rows it needs (`2 y0 - pT + r`)
/// into scratch, one flat `[rows x W]` block per channel; the next band reuses its last row.
/// The depthwise then reads those rows directly: for columns `x ..< x+8` with `s = 2x - pL`,
/// taps 0 and 1 are the even and odd lanes of `row[s ..< s+16]` and tap 2 the even lanes of
/// `row[s+2 ..< s+18]`; lanes outside the row are masked to zero on the edge blocks.
struct PointwiseDepthwiseStride2: Sendable {
    let pointwise: ConvolutionGeometry
    let depthwise: ConvolutionGeometry
    /// Pointwise weights k-major: `packed[i * M + m] = w1[m, i]`.
    let packed: [Float]
    let pointwiseBias: [Float]
    let pointwiseReLU: Bool
    let depthwiseWeights: [Float]
    let depthwiseBias: [Float]
    let depthwiseReLU: Bool
    /// Output rows per band.
    let bandRows: Int
    /// Floats of one channel's block of intermediate rows, `(2 * bandRows + 1) * W`.
    let bandStride: Int
    /// Floats before the first block (reads of the left padding land there, masked).
    static let frontSlack = 8
    /// Floats after the last block (reads past the end of a row, masked).
    let endSlack: Int

    /// True when the two geometries form a pair this kernel handles.
    static func accepts(pointwise p: ConvolutionGeometry, depthwise d: ConvolutionGeometry) -> Bool {
        PointwiseConvolution.accepts(p) && d.groups == d.inputChannels && d.outputChannels == d.inputChannels
            && d.inputChannels == p.outputChannels && d.inputHeight == p.outputHeight
            && d.inputWidth == p.outputWidth && d.kernelHeight == 3 && d.kernelWidth == 3 && d.strideY == 2
            && d.strideX == 2 && d.dilationY == 1 && d.dilationX == 1 && d.padLeft <= 2 && d.padRight <= 2
            && d.padTop <= 2
            && d.outputWidth >= 8
    }

    /// `bandTarget`: floats of intermediate rows one band may hold (all channels).
    init(
        pointwise p: ConvolutionGeometry, pointwiseWeights: [Float], pointwiseBias: [Float],
        pointwiseActivation: Activation, depthwise d: ConvolutionGeometry, depthwiseWeights: [Float],
        depthwiseBias: [Float], depthwiseActivation: Activation, bandTarget: Int = 48 * 1_024
    ) {
        pointwise = p
        depthwise = d
        let ic = p.inputChannels
        let oc = p.outputChannels
        var packed = [Float](repeating: 0, count: ic * oc)
        for o in 0..<oc {
            for i in 0..<ic { packed[i * oc + o] = pointwiseWeights[o * ic + i] }
        }
        self.packed = packed
        self.pointwiseBias = pointwiseBias
        pointwiseReLU = pointwiseActivation == .relu
        self.depthwiseWeights = depthwiseWeights
        self.depthwiseBias = depthwiseBias
        depthwiseReLU = depthwiseActivation == .relu
        let rowsFit = bandTarget / max(1, oc * d.inputWidth)
        bandRows = max(1, min(d.outputHeight, (rowsFit - 1) / 2))
        bandStride = (2 * bandRows + 1) * d.inputWidth
        // The last block reads up to column 2 * OW - pL + 1 of a row.
        endSlack = max(0, 2 * d.outputWidth - d.padLeft + 2 - d.inputWidth) + 8
    }

    /// Floats of scratch one run needs.
    var scratchCount: Int { Self.frontSlack + depthwise.inputChannels * bandStride + endSlack + copyCount }

    /// Floats of one row of the deinterleaved copy: `E` then `O`, `halfWidth` each.
    var halfWidth: Int { depthwise.outputWidth + 1 }
    /// Floats of the deinterleaved copy of one channel's band (stays in L1).
    var copyCount: Int { (2 * bandRows + 1) * 2 * halfWidth }

    /// Experiment switch: deinterleave each channel's rows into L1 first.
    static let copied = getenv("FUSED_COPY") != nil

    /// Computes output rows `rows` of every channel.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        rows: Range<Int>
    ) {
        let mid = scratch + Self.frontSlack
        if Self.copied { (mid + depthwise.inputChannels * bandStride + endSlack).update(repeating: 0, count: copyCount) }
        var y0 = rows.lowerBound
        // Intermediate row held in block row 0 from the previous band (-1: none).
        var carried = Int.min
        while y0 < rows.upperBound {
            let y1 = min(rows.upperBound, y0 + bandRows)
            fillBand(input: input, mid: mid, first: 2 * y0 - depthwise.padTop, count: 2 * (y1 - y0) + 1, carried: carried)
            carried = 2 * y1 - depthwise.padTop
            if Self.copied {
                depthwiseBandCopied(
                    mid: mid, output: output, copy: mid + depthwise.inputChannels * bandStride + endSlack,
                    rows: y0..<y1)
            } else {
                depthwiseBand(mid: mid, output: output, rows: y0..<y1)
            }
            y0 = y1
        }
    }

    /// Block row r of every channel = mid row `first + r` (zero outside the map), r < count.
    /// When `carried` is `first` that row is the last row of the previous band: moved, not computed.
    private func fillBand(
        input: UnsafePointer<Float>, mid: UnsafeMutablePointer<Float>, first: Int, count: Int, carried: Int
    ) {
        let channels = depthwise.inputChannels
        let width = depthwise.inputWidth
        let height = depthwise.inputHeight
        var start = 0
        if carried == first && count > 0 {
            let last = (bandStride / width - 1) * width
            for m in 0..<channels {
                let block = mid + m * bandStride
                block.update(from: block + last, count: width)
            }
            start = 1
        }
        // Rows start ..< count split into zero rows above the map, computed rows, zero rows below.
        let lo = min(count, max(start, -first))
        let hi = max(lo, min(count, height - first))
        for m in 0..<channels {
            let block = mid + m * bandStride
            if lo > start { (block + start * width).update(repeating: 0, count: (lo - start) * width) }
            if count > hi { (block + hi * width).update(repeating: 0, count: (count - hi) * width) }
        }
        if hi > lo {
            packed.withUnsafeBufferPointer { a in
                pointwiseBias.withUnsafeBufferPointer { b in
                    MatrixProduct(
                        a: a.baseAddress!, aStride: channels, depth: pointwise.inputChannels,
                        b: input + (first + lo) * width, bStride: height * width, columns: (hi - lo) * width,
                        c: mid + lo * width, cStride: bandStride, bias: b.baseAddress!, relu: pointwiseReLU
                    ).run(rows: 0..<channels)
                }
            }
        }
    }

    /// `depthwiseBand` through a deinterleaved copy: row r of the copy holds `E[j] = P[2j]` and
    /// `O[j] = P[2j + 1]` with `P[c] = mid[r, c - pL]` (zero outside the row, written once per run).
    private func depthwiseBandCopied(
        mid: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, copy: UnsafeMutablePointer<Float>,
        rows: Range<Int>
    ) {
        let d = depthwise
        let width = d.inputWidth
        let ow = d.outputWidth
        let hw = halfWidth
        let pw = 2 * hw
        let planeOut = d.outputHeight * ow
        let pl = d.padLeft
        let count = 2 * rows.count + 1
        let end = min(width, 2 * hw - pl)
        let firstColumn = min(end, pl & 1)
        depthwiseWeights.withUnsafeBufferPointer { wb in
            for m in 0..<d.inputChannels {
                let block = UnsafePointer(mid + m * bandStride)
                for r in 0..<count {
                    let src = block + r * width
                    let even = copy + r * pw
                    let odd = even + hw
                    for ix in 0..<firstColumn { odd[(ix + pl) >> 1] = src[ix] }
                    var ix = firstColumn
                    while ix + 16 <= end {
                        let v = UnsafeRawPointer(src + ix).loadUnaligned(as: SIMD16<Float>.self)
                        let j = (ix + pl) >> 1
                        UnsafeMutableRawPointer(even + j).storeBytes(of: v.evenHalf, as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(odd + j).storeBytes(of: v.oddHalf, as: SIMD8<Float>.self)
                        ix += 16
                    }
                    while ix + 1 < end {
                        even[(ix + pl) >> 1] = src[ix]
                        odd[(ix + pl) >> 1] = src[ix + 1]
                        ix += 2
                    }
                    if ix < end { even[(ix + pl) >> 1] = src[ix] }
                }
                let w = wb.baseAddress! + 9 * m
                let k0 = SIMD8<Float>(repeating: w[0])
                let k1 = SIMD8<Float>(repeating: w[1])
                let k2 = SIMD8<Float>(repeating: w[2])
                let k3 = SIMD8<Float>(repeating: w[3])
                let k4 = SIMD8<Float>(repeating: w[4])
                let k5 = SIMD8<Float>(repeating: w[5])
                let k6 = SIMD8<Float>(repeating: w[6])
                let k7 = SIMD8<Float>(repeating: w[7])
                let k8 = SIMD8<Float>(repeating: w[8])
                let start = SIMD8<Float>(repeating: depthwiseBias[m])
                let oddBytes = hw * MemoryLayout<Float>.stride
                for y in rows {
                    let r0 = UnsafeRawPointer(copy + 2 * (y - rows.lowerBound) * pw)
                    let r1 = r0 + pw * MemoryLayout<Float>.stride
                    let r2 = r1 + pw * MemoryLayout<Float>.stride
                    let out = output + m * planeOut + y * ow
                    var x = 0
                    while x < ow {
                        let b = min(x, ow - 8)
                        let q = b * MemoryLayout<Float>.stride
                        var acc =
                            copiedTaps(start, r0, q, q + oddBytes, q + 4, k0, k1, k2)
                            + copiedTaps(.zero, r1, q, q + oddBytes, q + 4, k3, k4, k5)
                            + copiedTaps(.zero, r2, q, q + oddBytes, q + 4, k6, k7, k8)
                        if depthwiseReLU { acc.replace(with: 0, where: acc .< 0) }
                        UnsafeMutableRawPointer(out + b).storeBytes(of: acc, as: SIMD8<Float>.self)
                        x = b + 8
                    }
                }
            }
        }
    }

    @inline(__always)
    private func copiedTaps(
        _ acc: SIMD8<Float>, _ r: UnsafeRawPointer, _ q0: Int, _ q1: Int, _ q2: Int, _ k0: SIMD8<Float>,
        _ k1: SIMD8<Float>, _ k2: SIMD8<Float>
    ) -> SIMD8<Float> {
        var a = multiplyAdd(acc, r.loadUnaligned(fromByteOffset: q0, as: SIMD8<Float>.self), k0)
        a = multiplyAdd(a, r.loadUnaligned(fromByteOffset: q1, as: SIMD8<Float>.self), k1)
        return multiplyAdd(a, r.loadUnaligned(fromByteOffset: q2, as: SIMD8<Float>.self), k2)
    }

    /// out[m, y, x] for y in `rows` (the band whose rows are in the blocks), all channels.
    private func depthwiseBand(mid: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let d = depthwise
        let width = d.inputWidth
        let ow = d.outputWidth
        let planeOut = d.outputHeight * ow
        let pl = d.padLeft
        // Only the first and the last block reach outside the row (pL, pR <= 2).
        let first = EdgeMasks(start: -pl, width: width)
        let last = EdgeMasks(start: 2 * (ow - 8) - pl, width: width)
        depthwiseWeights.withUnsafeBufferPointer { wb in
            for m in 0..<d.inputChannels {
                let w = wb.baseAddress! + 9 * m
                let k0 = SIMD8<Float>(repeating: w[0])
                let k1 = SIMD8<Float>(repeating: w[1])
                let k2 = SIMD8<Float>(repeating: w[2])
                let k3 = SIMD8<Float>(repeating: w[3])
                let k4 = SIMD8<Float>(repeating: w[4])
                let k5 = SIMD8<Float>(repeating: w[5])
                let k6 = SIMD8<Float>(repeating: w[6])
                let k7 = SIMD8<Float>(repeating: w[7])
                let k8 = SIMD8<Float>(repeating: w[8])
                let start = SIMD8<Float>(repeating: depthwiseBias[m])
                let block = UnsafePointer(mid + m * bandStride)
                for y in rows {
                    let r0 = block + 2 * (y - rows.lowerBound) * width
                    let r1 = r0 + width
                    let r2 = r1 + width
                    let out = output + m * planeOut + y * ow
                    var x = 0
                    while x < ow {
                        let b = min(x, ow - 8)
                        let s = 2 * b - pl
                        var acc: SIMD8<Float>
                        if s >= 0 && s + 16 < width {
                            acc =
                                taps(start, r0 + s, k0, k1, k2) + taps(.zero, r1 + s, k3, k4, k5)
                                + taps(.zero, r2 + s, k6, k7, k8)
                        } else {
                            let e = b == 0 ? first : last
                            acc =
                                maskedTaps(start, r0 + s, k0, k1, k2, e)
                                + maskedTaps(.zero, r1 + s, k3, k4, k5, e)
                                + maskedTaps(.zero, r2 + s, k6, k7, k8, e)
                        }
                        if depthwiseReLU { acc.replace(with: 0, where: acc .< 0) }
                        UnsafeMutableRawPointer(out + b).storeBytes(of: acc, as: SIMD8<Float>.self)
                        x = b + 8
                    }
                }
            }
        }
    }

    /// acc + k0 * p[0, 2, .., 14] + k1 * p[1, 3, .., 15] + k2 * p[2, 4, .., 16].
    @inline(__always)
    private func taps(
        _ acc: SIMD8<Float>, _ p: UnsafePointer<Float>, _ k0: SIMD8<Float>, _ k1: SIMD8<Float>, _ k2: SIMD8<Float>
    ) -> SIMD8<Float> {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        let u = UnsafeRawPointer(p + 2).loadUnaligned(as: SIMD16<Float>.self)
        return multiplyAdd(multiplyAdd(multiplyAdd(acc, v.evenHalf, k0), v.oddHalf, k1), u.evenHalf, k2)
    }

    /// `taps` with the lanes outside the row read as zero.
    @inline(__always)
    private func maskedTaps(
        _ acc: SIMD8<Float>, _ p: UnsafePointer<Float>, _ k0: SIMD8<Float>, _ k1: SIMD8<Float>, _ k2: SIMD8<Float>,
        _ e: EdgeMasks
    ) -> SIMD8<Float> {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        let u = UnsafeRawPointer(p + 2).loadUnaligned(as: SIMD16<Float>.self)
        let t0 = masked(v.evenHalf, e.tap0)
        let t1 = masked(v.oddHalf, e.tap1)
        let t2 = masked(u.evenHalf, e.tap2)
        return multiplyAdd(multiplyAdd(multiplyAdd(acc, t0, k0), t1, k1), t2, k2)
    }
}

/// `value` with the lanes where `mask` is zero set to +0.
@inline(__always)
private func masked(_ value: SIMD8<Float>, _ mask: SIMD8<UInt32>) -> SIMD8<Float> {
    unsafeBitCast(unsafeBitCast(value, to: SIMD8<UInt32>.self) & mask, to: SIMD8<Float>.self)
}

/// Bit masks of the lanes of one block whose taps lie inside the row: tap `k` of lane `i` reads
/// column `start + 2i + k`, kept when `0 <= column < width` (all ones) and zeroed otherwise.
struct EdgeMasks {
    let tap0: SIMD8<UInt32>
    let tap1: SIMD8<UInt32>
    let tap2: SIMD8<UInt32>

    init(start: Int, width: Int) {
        func mask(_ k: Int) -> SIMD8<UInt32> {
            var m = SIMD8<UInt32>.zero
            for i in 0..<8 where (0..<width).contains(start + 2 * i + k) { m[i] = .max }
            return m
        }
        tap0 = mask(0)
        tap1 = mask(1)
        tap2 = mask(2)
    }
}
