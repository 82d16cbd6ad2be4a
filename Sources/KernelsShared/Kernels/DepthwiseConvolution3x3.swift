import NeuralKernelsCore

/// 3x3 depthwise convolution (one input and one output channel per group), dilation 1, horizontal
/// stride 1 or 2, any vertical stride and padding:
///
///     out[c, y, x] = act(b[c] + sum_{ky, kx < 3} w[c, ky, kx] * in[c, y*sY - pT + ky, x*sX - pL + kx])
///
/// with taps outside the input skipped; planes are NCHW, weights `[C][3][3]`. Each output row is
/// computed eight columns at a time (SIMD8). Two ways to handle the edges, chosen at init (see
/// `paddedCopyBelowWidth`):
/// - direct (wide stride-2 rows): vectors where all taps of all eight columns lie inside the
///   row, single columns at the edges; no scratch;
/// - padded copy (all others): the plane is first copied into scratch with its zero padding made
///   explicit, then every block is a vector (`PH x PW` floats of scratch, see
///   `paddedHeight`/`paddedWidth`).
struct DepthwiseConvolution3x3: Sendable {
    let geometry: ConvolutionGeometry
    let weights: [Float]
    let bias: [Float]
    let relu: Bool
    /// Narrow rows use the zero-padded copy in scratch.
    let usesPaddedCopy: Bool
    /// Rows of the padded copy: every input row the outputs touch, padding included.
    let paddedHeight: Int
    /// Row stride of the padded copy: wide enough for whole vectors up to OW rounded up to 8.
    let paddedWidth: Int

    /// Output rows narrower than this use the padded copy, by horizontal stride (measured with
    /// Benchmarks/KernelBench: with stride 1 the copy costs less than the scalar edge pixels of
    /// the direct path at every width in the UltraFace models; with stride 2 the copied plane is
    /// four times the output and the direct path wins from about 64 columns).
    static func paddedCopyBelowWidth(strideX: Int) -> Int { strideX == 1 ? Int.max : 64 }

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
        usesPaddedCopy = g.outputWidth < Self.paddedCopyBelowWidth(strideX: g.strideX)
        paddedHeight = (g.outputHeight - 1) * g.strideY + 3
        let vectorWidth = (g.outputWidth + 7) / 8 * 8
        // Highest index read: stride 1, (X - 8) + 2 + 7; stride 2, 2 * (X - 8) + 1 + 15.
        paddedWidth = g.strideX == 1 ? vectorWidth + 2 : 2 * vectorWidth + 1
    }

    /// Floats of scratch one run needs.
    var scratchCount: Int { usesPaddedCopy ? paddedHeight * paddedWidth : 0 }

    /// Computes channels `channels`.
    func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, channels: Range<Int>) {
        let g = geometry
        let planeIn = g.inputHeight * g.inputWidth, planeOut = g.outputHeight * g.outputWidth
        if usesPaddedCopy { scratch.update(repeating: 0, count: paddedHeight * paddedWidth) }
        weights.withUnsafeBufferPointer { w in
            for c in channels {
                if usesPaddedCopy {
                    copyInterior(input + c * planeIn, into: scratch)
                    runPadded(scratch, output: output + c * planeOut, weights: w.baseAddress! + 9 * c, bias: bias[c])
                } else {
                    runChannel(input: input + c * planeIn, output: output + c * planeOut, weights: w.baseAddress! + 9 * c, bias: bias[c])
                }
            }
        }
    }

    /// P[r, c] = in[r - pT, c - pL] for the places inside the input, r < PH, c < PW (row stride
    /// PW). The other places (the zero padding) are the same for every channel: `run` zeroes
    /// the whole copy once and they are never written again.
    private func copyInterior(_ input: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let g = geometry
        let width = g.inputWidth, pl = g.padLeft
        guard pl < paddedWidth else { return }
        let copied = min(width, paddedWidth - pl)
        let rows = max(0, min(paddedHeight - g.padTop, g.inputHeight))
        var dst = padded + g.padTop * paddedWidth + pl
        var src = input
        if copied < 16 {
            for _ in 0..<rows {
                for x in 0..<copied { dst[x] = src[x] }
                dst += paddedWidth
                src += width
            }
        } else {
            for _ in 0..<rows {
                dst.update(from: src, count: copied)
                dst += paddedWidth
                src += width
            }
        }
    }

    /// out[y, x] = act(b + sum_{ky, kx} w[ky, kx] * P[y*sY + ky, x*sX + kx]) on the padded copy
    /// (PH x PW floats; every vector read lies inside it by the choice of PW and PH).
    private func runPadded(_ padded: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, weights w: UnsafePointer<Float>, bias: Float) {
        let g = geometry
        let ow = g.outputWidth, sx = g.strideX
        let k0 = SIMD8<Float>(repeating: w[0]), k1 = SIMD8<Float>(repeating: w[1]), k2 = SIMD8<Float>(repeating: w[2])
        let k3 = SIMD8<Float>(repeating: w[3]), k4 = SIMD8<Float>(repeating: w[4]), k5 = SIMD8<Float>(repeating: w[5])
        let k6 = SIMD8<Float>(repeating: w[6]), k7 = SIMD8<Float>(repeating: w[7]), k8 = SIMD8<Float>(repeating: w[8])
        let start = SIMD8<Float>(repeating: bias)
        let rowBytes = paddedWidth * MemoryLayout<Float>.stride
        for y in 0..<g.outputHeight {
            let r0 = UnsafeRawPointer(padded + y * g.strideY * paddedWidth)
            let r1 = r0 + rowBytes, r2 = r1 + rowBytes
            let out = output + y * ow
            var x = 0
            while x < ow {
                // Past the last whole vector: overlap the previous block when the row has one.
                let block = x + 8 > ow && ow >= 8 ? ow - 8 : x
                let base = block * sx * MemoryLayout<Float>.stride
                // One accumulator per kernel row keeps the three FMA chains independent.
                var acc: SIMD8<Float>
                if sx == 1 {
                    acc = taps1(start, r0, base, k0, k1, k2) + taps1(.zero, r1, base, k3, k4, k5)
                        + taps1(.zero, r2, base, k6, k7, k8)
                } else {
                    acc = taps2(start, r0, base, k0, k1, k2) + taps2(.zero, r1, base, k3, k4, k5)
                        + taps2(.zero, r2, base, k6, k7, k8)
                }
                if relu { acc = acc.replacing(with: 0, where: acc .< 0) }
                if block + 8 <= ow {
                    UnsafeMutableRawPointer(out + block).storeBytes(of: acc, as: SIMD8<Float>.self)
                } else {
                    for lane in 0..<(ow - block) { out[block + lane] = acc[lane] }
                }
                x = block + 8
            }
        }
    }

    /// One plane. Pointers: `input` holds H * W floats, `output` OH * OW, `weights` 9; every
    /// read is at `row + ix` with a row inside the plane and `0 <= ix < W` (checked by the
    /// vector bounds below or by `scalarPixel`).
    private func runChannel(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, weights w: UnsafePointer<Float>, bias: Float) {
        let g = geometry
        let width = g.inputWidth, ow = g.outputWidth, sx = g.strideX, pl = g.padLeft
        // Vector columns: x*sX - pL >= 0 and (x+7)*sX - pL + 2 <= W - 1, and x + 7 < OW.
        let vectorBegin = (pl + sx - 1) / sx
        let vectorLast = min(ow - 8, (width - 3 + pl) / sx - 7)
        let k0 = SIMD8<Float>(repeating: w[0]), k1 = SIMD8<Float>(repeating: w[1]), k2 = SIMD8<Float>(repeating: w[2])
        let k3 = SIMD8<Float>(repeating: w[3]), k4 = SIMD8<Float>(repeating: w[4]), k5 = SIMD8<Float>(repeating: w[5])
        let k6 = SIMD8<Float>(repeating: w[6]), k7 = SIMD8<Float>(repeating: w[7]), k8 = SIMD8<Float>(repeating: w[8])
        let start = SIMD8<Float>(repeating: bias)
        for y in 0..<g.outputHeight {
            let top = y * g.strideY - g.padTop
            // Rows ky = 0, 1, 2 as byte pointers, nil when outside the input.
            let r0 = row(input, top), r1 = row(input, top + 1), r2 = row(input, top + 2)
            let out = output + y * ow
            var x = 0
            while x < min(vectorBegin, ow) {
                out[x] = scalarPixel(input, x: x, top: top, weights: w, bias: bias)
                x += 1
            }
            if vectorLast >= vectorBegin {
                while true {
                    if x > vectorLast { x = vectorLast }  // the last block overlaps the previous one
                    let base = (x * sx - pl) * MemoryLayout<Float>.stride
                    // One accumulator per kernel row keeps the three FMA chains independent.
                    var acc0 = start, acc1 = SIMD8<Float>.zero, acc2 = SIMD8<Float>.zero
                    if sx == 1 {
                        if let r = r0 { acc0 = taps1(acc0, r, base, k0, k1, k2) }
                        if let r = r1 { acc1 = taps1(acc1, r, base, k3, k4, k5) }
                        if let r = r2 { acc2 = taps1(acc2, r, base, k6, k7, k8) }
                    } else {
                        if let r = r0 { acc0 = taps2(acc0, r, base, k0, k1, k2) }
                        if let r = r1 { acc1 = taps2(acc1, r, base, k3, k4, k5) }
                        if let r = r2 { acc2 = taps2(acc2, r, base, k6, k7, k8) }
                    }
                    var acc = acc0 + acc1 + acc2
                    if relu { acc = acc.replacing(with: 0, where: acc .< 0) }
                    UnsafeMutableRawPointer(out + x).storeBytes(of: acc, as: SIMD8<Float>.self)
                    x += 8
                    if x >= vectorLast + 8 { break }
                }
            }
            while x < ow {
                out[x] = scalarPixel(input, x: x, top: top, weights: w, bias: bias)
                x += 1
            }
        }
    }

    private func row(_ input: UnsafePointer<Float>, _ iy: Int) -> UnsafeRawPointer? {
        iy >= 0 && iy < geometry.inputHeight ? UnsafeRawPointer(input + iy * geometry.inputWidth) : nil
    }

    /// acc + k0 * in[q ..< q+8] + k1 * in[q+1 ..< q+9] + k2 * in[q+2 ..< q+10], q = byte offset `base`.
    private func taps1(_ acc: SIMD8<Float>, _ r: UnsafeRawPointer, _ base: Int, _ k0: SIMD8<Float>, _ k1: SIMD8<Float>, _ k2: SIMD8<Float>) -> SIMD8<Float> {
        var a = multiplyAdd(acc, r.loadUnaligned(fromByteOffset: base, as: SIMD8<Float>.self), k0)
        a = multiplyAdd(a, r.loadUnaligned(fromByteOffset: base + 4, as: SIMD8<Float>.self), k1)
        return multiplyAdd(a, r.loadUnaligned(fromByteOffset: base + 8, as: SIMD8<Float>.self), k2)
    }

    /// Stride 2: tap kx of output lane j reads in[q + 2j + kx]; the even lanes of in[q ..< q+16]
    /// give kx = 0, its odd lanes kx = 1, and the odd lanes of in[q+1 ..< q+17] kx = 2.
    private func taps2(_ acc: SIMD8<Float>, _ r: UnsafeRawPointer, _ base: Int, _ k0: SIMD8<Float>, _ k1: SIMD8<Float>, _ k2: SIMD8<Float>) -> SIMD8<Float> {
        let v = r.loadUnaligned(fromByteOffset: base, as: SIMD16<Float>.self)
        let shifted = r.loadUnaligned(fromByteOffset: base + 4, as: SIMD16<Float>.self)
        var a = multiplyAdd(acc, v.evenHalf, k0)
        a = multiplyAdd(a, v.oddHalf, k1)
        return multiplyAdd(a, shifted.oddHalf, k2)
    }

    /// One output pixel with every tap bounds-checked.
    private func scalarPixel(_ input: UnsafePointer<Float>, x: Int, top: Int, weights w: UnsafePointer<Float>, bias: Float) -> Float {
        let g = geometry
        var sum = bias
        for ky in 0..<3 {
            let iy = top + ky
            if iy < 0 || iy >= g.inputHeight { continue }
            for kx in 0..<3 {
                let ix = x * g.strideX - g.padLeft + kx
                if ix < 0 || ix >= g.inputWidth { continue }
                sum = multiplyAdd(sum, w[ky * 3 + kx], input[iy * g.inputWidth + ix])
            }
        }
        return relu ? max(0, sum) : sum
    }
}
