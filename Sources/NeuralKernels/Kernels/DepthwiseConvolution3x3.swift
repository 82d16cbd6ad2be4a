/// 3x3 depthwise convolution (one input and one output channel per group), dilation 1, horizontal
/// stride 1 or 2, any vertical stride and padding:
///
///     out[c, y, x] = act(b[c] + sum_{ky, kx < 3} w[c, ky, kx] * in[c, y*sY - pT + ky, x*sX - pL + kx])
///
/// with taps outside the input skipped; planes are NCHW, weights `[C][3][3]`. Each output row is
/// computed eight columns at a time (SIMD8) where all three taps of all eight columns lie inside
/// the row, and one column at a time at the edges. Needs no scratch.
struct DepthwiseConvolution3x3: Sendable {
    let geometry: ConvolutionGeometry
    let weights: [Float]
    let bias: [Float]
    let relu: Bool

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
    }

    /// Computes channels `channels`.
    func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, channels: Range<Int>) {
        let g = geometry
        let planeIn = g.inputHeight * g.inputWidth, planeOut = g.outputHeight * g.outputWidth
        weights.withUnsafeBufferPointer { w in
            for c in channels {
                runChannel(input: input + c * planeIn, output: output + c * planeOut, weights: w.baseAddress! + 9 * c, bias: bias[c])
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
                    var acc = start
                    if sx == 1 {
                        if let r = r0 { acc = taps1(acc, r, base, k0, k1, k2) }
                        if let r = r1 { acc = taps1(acc, r, base, k3, k4, k5) }
                        if let r = r2 { acc = taps1(acc, r, base, k6, k7, k8) }
                    } else {
                        if let r = r0 { acc = taps2(acc, r, base, k0, k1, k2) }
                        if let r = r1 { acc = taps2(acc, r, base, k3, k4, k5) }
                        if let r = r2 { acc = taps2(acc, r, base, k6, k7, k8) }
                    }
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
        var a = acc.addingProduct(r.loadUnaligned(fromByteOffset: base, as: SIMD8<Float>.self), k0)
        a = a.addingProduct(r.loadUnaligned(fromByteOffset: base + 4, as: SIMD8<Float>.self), k1)
        return a.addingProduct(r.loadUnaligned(fromByteOffset: base + 8, as: SIMD8<Float>.self), k2)
    }

    /// Stride 2: tap kx of output lane j reads in[q + 2j + kx]; the even lanes of in[q ..< q+16]
    /// give kx = 0, its odd lanes kx = 1, and the odd lanes of in[q+1 ..< q+17] kx = 2.
    private func taps2(_ acc: SIMD8<Float>, _ r: UnsafeRawPointer, _ base: Int, _ k0: SIMD8<Float>, _ k1: SIMD8<Float>, _ k2: SIMD8<Float>) -> SIMD8<Float> {
        let v = r.loadUnaligned(fromByteOffset: base, as: SIMD16<Float>.self)
        let shifted = r.loadUnaligned(fromByteOffset: base + 4, as: SIMD16<Float>.self)
        var a = acc.addingProduct(v.evenHalf, k0)
        a = a.addingProduct(v.oddHalf, k1)
        return a.addingProduct(shifted.oddHalf, k2)
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
                sum = sum.addingProduct(w[ky * 3 + kx], input[iy * g.inputWidth + ix])
            }
        }
        return relu ? max(0, sum) : sum
    }
}
