import NeuralKernelsCore

/// 3x3 depthwise convolution with eight channels in the vector lanes, for small maps where a
/// row is too narrow to fill vectors (15x20, 8x10, 4x5): dilation 1, any stride and padding.
///
///     out[c, y, x] = act(b[c] + sum_{ky, kx < 3} w[c, ky, kx] * in[c, y*sY - pT + ky, x*sX - pL + kx])
///
/// For every block of eight channels `c0 ..< c0+8`:
/// 1. the eight input planes are transposed into a zero-padded, channel-interleaved copy in
///    scratch, `P[(r * PW + q) * 8 + j] = in[c0 + j, r - pT, q - pL]` (`PH x PW` places of
///    eight floats, zero outside the input; the border is zeroed once per run), eight pixels
///    at a time with an 8x8 register transpose;
/// 2. each output pixel is one vector `bias + sum_t W[t] * P[base(y, x) + off(t)]` (nine
///    loads and nine FMAs, `W[t]` holds the eight channels' weights of tap `t`), eight pixels
///    in flight (consecutive in the flattened output plane, across row ends);
/// 3. the pixel vectors, staged in scratch, are transposed back eight at a time into eight
///    channel vectors stored at `out[c0 + j, p ..< p+8]` (NCHW planes are contiguous, so the
///    flattened index is enough).
/// The last block of a plane overlaps its neighbour (same values written twice); planes of
/// fewer than eight pixels are stored lane by lane. Channels past the last whole block of a
/// range run on `DepthwiseConvolution3x3`.
struct InterleavedDepthwise3x3: Sendable {
    let geometry: ConvolutionGeometry
    /// Tap-major weights `[9][C]`: the weights of tap `t` for channels `c ..< c+8` are one load.
    let weights: [Float]
    let bias: [Float]
    let relu: Bool
    let paddedHeight: Int
    let paddedWidth: Int
    /// Per input pixel (flattened `iy * W + ix`), the float offset of its place in the padded
    /// copy, or of the spare place past the copy when it lies outside the rows/columns read.
    let inputPlaces: [Int32]
    /// Per output pixel (flattened `y * OW + x`), the float offset of tap (0, 0) in the copy.
    let outputBases: [Int32]

    /// True for small maps, where interleaving channels beats vectors along a row (measured:
    /// 15x20 and 8x10 maps 1.3-2x faster; a stride-2 layer reading 30x40 is faster on rows, the
    /// transposes of its large input cost more than its narrow output rows waste).
    static func prefers(_ g: ConvolutionGeometry) -> Bool {
        g.outputChannels >= 8 && g.inputWidth < 24
    }

    init(geometry g: ConvolutionGeometry, weights: [Float], bias: [Float], activation: Activation) {
        geometry = g
        let channels = g.outputChannels
        var tapMajor = [Float](repeating: 0, count: weights.count)
        for c in 0..<channels {
            for t in 0..<9 { tapMajor[t * channels + c] = weights[c * 9 + t] }
        }
        self.weights = tapMajor
        self.bias = bias
        relu = activation == .relu
        let ph = (g.outputHeight - 1) * g.strideY + 3
        let pw = (g.outputWidth - 1) * g.strideX + 3
        paddedHeight = ph
        paddedWidth = pw
        let spare = ph * pw * 8
        var places = [Int32](repeating: Int32(spare), count: g.inputHeight * g.inputWidth)
        for iy in 0..<g.inputHeight {
            for ix in 0..<g.inputWidth {
                let r = iy + g.padTop
                let q = ix + g.padLeft
                if r < ph && q < pw { places[iy * g.inputWidth + ix] = Int32((r * pw + q) * 8) }
            }
        }
        inputPlaces = places
        var bases = [Int32](repeating: 0, count: g.outputHeight * g.outputWidth)
        for y in 0..<g.outputHeight {
            for x in 0..<g.outputWidth {
                bases[y * g.outputWidth + x] = Int32((y * g.strideY * pw + x * g.strideX) * 8)
            }
        }
        outputBases = bases
    }

    /// Floats of scratch before the staged output pixels: the padded copy and one spare place
    /// for pixels no output reads (a multiple of 8, so the staged vectors stay aligned).
    private var stagingOffset: Int { (paddedHeight * paddedWidth + 1) * 8 }

    /// Floats of scratch: the padded copy, its spare place and the staged output pixels (eight
    /// floats each).
    var scratchCount: Int { stagingOffset + geometry.outputHeight * geometry.outputWidth * 8 }

    /// Computes the whole blocks of eight channels in `channels` and returns where the
    /// remaining channels (fewer than eight) start.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        channels: Range<Int>
    ) -> Int {
        var c0 = channels.lowerBound
        guard c0 + 8 <= channels.upperBound else { return c0 }
        scratch.update(repeating: 0, count: stagingOffset)
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                inputPlaces.withUnsafeBufferPointer { places in
                    outputBases.withUnsafeBufferPointer { bases in
                        while c0 + 8 <= channels.upperBound {
                            interleave(input, channel: c0, places: places.baseAddress!, into: scratch)
                            compute(
                                scratch, bases: bases.baseAddress!, weights: w.baseAddress! + c0,
                                bias: b.baseAddress! + c0, output: output, channel: c0)
                            c0 += 8
                        }
                    }
                }
            }
        }
        return c0
    }

    /// Step 1: `P[places[p] + j] = in[c0 + j, p]` for every input pixel `p` of the block.
    private func interleave(
        _ input: UnsafePointer<Float>, channel c0: Int, places: UnsafePointer<Int32>,
        into padded: UnsafeMutablePointer<Float>
    ) {
        let plane = geometry.inputHeight * geometry.inputWidth
        let source = UnsafeRawPointer(input + c0 * plane)
        let planeBytes = plane * MemoryLayout<Float>.stride
        let destination = UnsafeMutableRawPointer(padded)
        if plane < 8 {
            for p in 0..<plane {
                let place = Int(places[p])
                for j in 0..<8 { padded[place + j] = input[(c0 + j) * plane + p] }
            }
            return
        }
        var p = 0
        while p < plane {
            let block = min(p, plane - 8)
            let at = block * MemoryLayout<Float>.stride
            let t = Transposed8x8(
                source.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self),
                source.loadUnaligned(fromByteOffset: at + planeBytes, as: SIMD8<Float>.self),
                source.loadUnaligned(fromByteOffset: at + 2 * planeBytes, as: SIMD8<Float>.self),
                source.loadUnaligned(fromByteOffset: at + 3 * planeBytes, as: SIMD8<Float>.self),
                source.loadUnaligned(fromByteOffset: at + 4 * planeBytes, as: SIMD8<Float>.self),
                source.loadUnaligned(fromByteOffset: at + 5 * planeBytes, as: SIMD8<Float>.self),
                source.loadUnaligned(fromByteOffset: at + 6 * planeBytes, as: SIMD8<Float>.self),
                source.loadUnaligned(fromByteOffset: at + 7 * planeBytes, as: SIMD8<Float>.self))
            let q = places + block
            let floatBytes = MemoryLayout<Float>.stride
            (destination + Int(q[0]) * floatBytes).storeBytes(of: t.v0, as: SIMD8<Float>.self)
            (destination + Int(q[1]) * floatBytes).storeBytes(of: t.v1, as: SIMD8<Float>.self)
            (destination + Int(q[2]) * floatBytes).storeBytes(of: t.v2, as: SIMD8<Float>.self)
            (destination + Int(q[3]) * floatBytes).storeBytes(of: t.v3, as: SIMD8<Float>.self)
            (destination + Int(q[4]) * floatBytes).storeBytes(of: t.v4, as: SIMD8<Float>.self)
            (destination + Int(q[5]) * floatBytes).storeBytes(of: t.v5, as: SIMD8<Float>.self)
            (destination + Int(q[6]) * floatBytes).storeBytes(of: t.v6, as: SIMD8<Float>.self)
            (destination + Int(q[7]) * floatBytes).storeBytes(of: t.v7, as: SIMD8<Float>.self)
            p = block + 8
        }
    }

    /// Steps 2 and 3 for channels `c0 ..< c0+8`: `weights` and `bias` point at channel `c0`.
    private func compute(
        _ padded: UnsafeMutablePointer<Float>, bases: UnsafePointer<Int32>, weights w: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, channel c0: Int
    ) {
        let g = geometry
        let channels = g.outputChannels
        let plane = g.outputHeight * g.outputWidth
        let wr = UnsafeRawPointer(w)
        let tapBytes = channels * MemoryLayout<Float>.stride
        let k0 = wr.loadUnaligned(as: SIMD8<Float>.self)
        let k1 = wr.loadUnaligned(fromByteOffset: tapBytes, as: SIMD8<Float>.self)
        let k2 = wr.loadUnaligned(fromByteOffset: 2 * tapBytes, as: SIMD8<Float>.self)
        let k3 = wr.loadUnaligned(fromByteOffset: 3 * tapBytes, as: SIMD8<Float>.self)
        let k4 = wr.loadUnaligned(fromByteOffset: 4 * tapBytes, as: SIMD8<Float>.self)
        let k5 = wr.loadUnaligned(fromByteOffset: 5 * tapBytes, as: SIMD8<Float>.self)
        let k6 = wr.loadUnaligned(fromByteOffset: 6 * tapBytes, as: SIMD8<Float>.self)
        let k7 = wr.loadUnaligned(fromByteOffset: 7 * tapBytes, as: SIMD8<Float>.self)
        let k8 = wr.loadUnaligned(fromByteOffset: 8 * tapBytes, as: SIMD8<Float>.self)
        let start = UnsafeRawPointer(bias).loadUnaligned(as: SIMD8<Float>.self)
        let rowBytes = paddedWidth * 8 * MemoryLayout<Float>.stride
        let placeBytes = 8 * MemoryLayout<Float>.stride
        let source = UnsafeRawPointer(padded)

        /// One output pixel: the nine taps around its base offset (in floats).
        @inline(__always)
        func pixel(_ base: Int32) -> SIMD8<Float> {
            let r0 = source + Int(base) * MemoryLayout<Float>.stride
            let r1 = r0 + rowBytes
            let r2 = r1 + rowBytes
            var a = multiplyAdd(start, r0.loadUnaligned(as: SIMD8<Float>.self), k0)
            a = multiplyAdd(a, r0.loadUnaligned(fromByteOffset: placeBytes, as: SIMD8<Float>.self), k1)
            a = multiplyAdd(a, r0.loadUnaligned(fromByteOffset: 2 * placeBytes, as: SIMD8<Float>.self), k2)
            a = multiplyAdd(a, r1.loadUnaligned(as: SIMD8<Float>.self), k3)
            a = multiplyAdd(a, r1.loadUnaligned(fromByteOffset: placeBytes, as: SIMD8<Float>.self), k4)
            a = multiplyAdd(a, r1.loadUnaligned(fromByteOffset: 2 * placeBytes, as: SIMD8<Float>.self), k5)
            a = multiplyAdd(a, r2.loadUnaligned(as: SIMD8<Float>.self), k6)
            a = multiplyAdd(a, r2.loadUnaligned(fromByteOffset: placeBytes, as: SIMD8<Float>.self), k7)
            return multiplyAdd(a, r2.loadUnaligned(fromByteOffset: 2 * placeBytes, as: SIMD8<Float>.self), k8)
        }

        // Pixel vectors first (into `staged`, after the copy), then the transposes in a loop of
        // their own: fused with the FMAs, LLVM turns the lane selections into scalar code.
        let staged = UnsafeMutableRawPointer(padded + stagingOffset)
        for p in 0..<plane {
            let value = pixel(bases[p])
            (staged + p * placeBytes).storeBytes(
                of: relu ? value.replacing(with: 0, where: value .< 0) : value, as: SIMD8<Float>.self)
        }
        let out = output + c0 * plane
        if plane < 8 {
            for p in 0..<plane {
                let value = staged.loadUnaligned(fromByteOffset: p * placeBytes, as: SIMD8<Float>.self)
                for j in 0..<8 { out[j * plane + p] = value[j] }
            }
            return
        }
        var p = 0
        while p < plane {
            let block = min(p, plane - 8)
            let q = UnsafeRawPointer(staged + block * placeBytes)
            Transposed8x8(
                q.loadUnaligned(as: SIMD8<Float>.self),
                q.loadUnaligned(fromByteOffset: placeBytes, as: SIMD8<Float>.self),
                q.loadUnaligned(fromByteOffset: 2 * placeBytes, as: SIMD8<Float>.self),
                q.loadUnaligned(fromByteOffset: 3 * placeBytes, as: SIMD8<Float>.self),
                q.loadUnaligned(fromByteOffset: 4 * placeBytes, as: SIMD8<Float>.self),
                q.loadUnaligned(fromByteOffset: 5 * placeBytes, as: SIMD8<Float>.self),
                q.loadUnaligned(fromByteOffset: 6 * placeBytes, as: SIMD8<Float>.self),
                q.loadUnaligned(fromByteOffset: 7 * placeBytes, as: SIMD8<Float>.self)
            ).store(to: out + block, rowStride: plane)
            p = block + 8
        }
    }
}
