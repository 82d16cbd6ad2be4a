#if arch(x86_64)
    import CInt8Instructions
#endif

/// The integer multiply-adds of the int8 kernels, one form per build (the target defines
/// `FACESTREAM_INT8_VNNI` for the Cascade Lake build; see Package.swift).
///
/// The quantised input is read as 16-pixel blocks: one `SIMD16<Int32>` whose lane p holds the
/// four input channels of a group at pixel p, unsigned bytes. A block's data for reduction step r
/// (a kernel tap and a group of four input channels, see `Int8Weights`) is at `base +
/// offsets[r]` bytes, so the same loop serves the 1x1 kernel's tile and the KxK kernel's padded
/// image. Four output channels o..o+3 at a time, for each step r and each block b:
///
///     acc[o + k][b] += sum_{j<4} qx[r, j, p] * qw[o + k, r, j]      (every pixel p of b)
#if FACESTREAM_INT8_VNNI
    /// One 32-bit word per output channel and step: `packed[(o / 4 * steps + r) * 4 + o % 4]`
    /// holds `qw[o, r, j]` in byte j, the signed operand of `vpdpbusd`.
    let int8WeightWordsPerStep = 1

    /// `quantized[(o * steps + r) * 4 + j]` in this build's order.
    func int8PackWeights(_ quantized: [Int8], outputs: Int, steps: Int) -> [Int32] {
        var packed = [Int32](repeating: 0, count: outputs * steps)
        for o in 0..<outputs {
            for r in 0..<steps {
                var word: UInt32 = 0
                for j in 0..<4 { word |= UInt32(UInt8(bitPattern: quantized[(o * steps + r) * 4 + j])) << (8 * j) }
                packed[(o / 4 * steps + r) * 4 + o % 4] = Int32(bitPattern: word)
            }
        }
        return packed
    }

    /// Four output channels times four blocks (`b0`...`b3`, 64 pixels): 16 accumulators in
    /// registers, one `vpdpbusd` each per step, fed by four loads and four broadcast weights.
    /// Results in block order, then channel: `.0` = (block 0, channel o), `.1` = (0, o + 1)...
    @inline(__always)
    func int8MultiplyAdd4x4(
        _ b0: UnsafeRawPointer, _ b1: UnsafeRawPointer, _ b2: UnsafeRawPointer, _ b3: UnsafeRawPointer,
        offsets: UnsafePointer<Int>, steps: Int, weights: UnsafePointer<Int32>
    ) -> Int8Sums4x4 {
        var a0 = SIMD16<Int32>()
        var a1 = SIMD16<Int32>()
        var a2 = SIMD16<Int32>()
        var a3 = SIMD16<Int32>()
        var a4 = SIMD16<Int32>()
        var a5 = SIMD16<Int32>()
        var a6 = SIMD16<Int32>()
        var a7 = SIMD16<Int32>()
        var a8 = SIMD16<Int32>()
        var a9 = SIMD16<Int32>()
        var a10 = SIMD16<Int32>()
        var a11 = SIMD16<Int32>()
        var a12 = SIMD16<Int32>()
        var a13 = SIMD16<Int32>()
        var a14 = SIMD16<Int32>()
        var a15 = SIMD16<Int32>()
        var w = weights
        for r in 0..<steps {
            let offset = offsets[r]
            let x0 = b0.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int32>.self)
            let x1 = b1.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int32>.self)
            let x2 = b2.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int32>.self)
            let x3 = b3.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int32>.self)
            let w0 = SIMD16<Int32>(repeating: w[0])
            let w1 = SIMD16<Int32>(repeating: w[1])
            let w2 = SIMD16<Int32>(repeating: w[2])
            let w3 = SIMD16<Int32>(repeating: w[3])
            a0 = dotProductAdd(a0, x0, w0)
            a1 = dotProductAdd(a1, x0, w1)
            a2 = dotProductAdd(a2, x0, w2)
            a3 = dotProductAdd(a3, x0, w3)
            a4 = dotProductAdd(a4, x1, w0)
            a5 = dotProductAdd(a5, x1, w1)
            a6 = dotProductAdd(a6, x1, w2)
            a7 = dotProductAdd(a7, x1, w3)
            a8 = dotProductAdd(a8, x2, w0)
            a9 = dotProductAdd(a9, x2, w1)
            a10 = dotProductAdd(a10, x2, w2)
            a11 = dotProductAdd(a11, x2, w3)
            a12 = dotProductAdd(a12, x3, w0)
            a13 = dotProductAdd(a13, x3, w1)
            a14 = dotProductAdd(a14, x3, w2)
            a15 = dotProductAdd(a15, x3, w3)
            w += 4
        }
        return (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15)
    }

    /// Four output channels times one block.
    @inline(__always)
    func int8MultiplyAdd4x1(
        _ base: UnsafeRawPointer, offsets: UnsafePointer<Int>, steps: Int, weights: UnsafePointer<Int32>
    ) -> Int8Sums4x1 {
        var a0 = SIMD16<Int32>()
        var a1 = SIMD16<Int32>()
        var a2 = SIMD16<Int32>()
        var a3 = SIMD16<Int32>()
        var w = weights
        for r in 0..<steps {
            let x0 = base.loadUnaligned(fromByteOffset: offsets[r], as: SIMD16<Int32>.self)
            a0 = dotProductAdd(a0, x0, SIMD16<Int32>(repeating: w[0]))
            a1 = dotProductAdd(a1, x0, SIMD16<Int32>(repeating: w[1]))
            a2 = dotProductAdd(a2, x0, SIMD16<Int32>(repeating: w[2]))
            a3 = dotProductAdd(a3, x0, SIMD16<Int32>(repeating: w[3]))
            w += 4
        }
        return (a0, a1, a2, a3)
    }
#else
    /// Two 32-bit words per output channel and step, each two signed 16-bit weights for
    /// `vpmaddwd`: `packed[((o / 4 * steps + r) * 2 + h) * 4 + o % 4]` holds `qw[o, r, h]` in its
    /// low and `qw[o, r, h + 2]` in its high half (h = 0: bytes 0 and 2 of the input's lane,
    /// h = 1: bytes 1 and 3).
    let int8WeightWordsPerStep = 2

    /// `quantized[(o * steps + r) * 4 + j]` in this build's order.
    func int8PackWeights(_ quantized: [Int8], outputs: Int, steps: Int) -> [Int32] {
        var packed = [Int32](repeating: 0, count: outputs * steps * 2)
        for o in 0..<outputs {
            for r in 0..<steps {
                for h in 0..<2 {
                    let low = UInt32(UInt16(bitPattern: Int16(quantized[(o * steps + r) * 4 + h])))
                    let high = UInt32(UInt16(bitPattern: Int16(quantized[(o * steps + r) * 4 + h + 2])))
                    packed[((o / 4 * steps + r) * 2 + h) * 4 + o % 4] = Int32(bitPattern: low | high << 16)
                }
            }
        }
        return packed
    }

    /// AVX2 has 16 vector registers, too few for 16 accumulators of two halves each: four
    /// blocks one after the other (the input and the weights stay in L1).
    @inline(__always)
    func int8MultiplyAdd4x4(
        _ b0: UnsafeRawPointer, _ b1: UnsafeRawPointer, _ b2: UnsafeRawPointer, _ b3: UnsafeRawPointer,
        offsets: UnsafePointer<Int>, steps: Int, weights: UnsafePointer<Int32>
    ) -> Int8Sums4x4 {
        let s0 = int8MultiplyAdd4x1(b0, offsets: offsets, steps: steps, weights: weights)
        let s1 = int8MultiplyAdd4x1(b1, offsets: offsets, steps: steps, weights: weights)
        let s2 = int8MultiplyAdd4x1(b2, offsets: offsets, steps: steps, weights: weights)
        let s3 = int8MultiplyAdd4x1(b3, offsets: offsets, steps: steps, weights: weights)
        return (s0.0, s0.1, s0.2, s0.3, s1.0, s1.1, s1.2, s1.3, s2.0, s2.1, s2.2, s2.3, s3.0, s3.1, s3.2, s3.3)
    }

    /// Four output channels times one block: the unsigned bytes are split into their even and
    /// odd 16-bit halves (values 0...255, so the 16-bit products cannot overflow) and each
    /// half meets its weight pair in one `vpmaddwd`.
    @inline(__always)
    func int8MultiplyAdd4x1(
        _ base: UnsafeRawPointer, offsets: UnsafePointer<Int>, steps: Int, weights: UnsafePointer<Int32>
    ) -> Int8Sums4x1 {
        var a0 = SIMD16<Int32>()
        var a1 = SIMD16<Int32>()
        var a2 = SIMD16<Int32>()
        var a3 = SIMD16<Int32>()
        var w = weights
        let bytes = SIMD16<Int32>(repeating: 0x00FF_00FF)
        for r in 0..<steps {
            let value = base.loadUnaligned(fromByteOffset: offsets[r], as: SIMD16<Int32>.self)
            let even = value & bytes
            let odd = (value &>> 8) & bytes
            a0 = a0 &+ pairProducts(even, w[0]) &+ pairProducts(odd, w[4])
            a1 = a1 &+ pairProducts(even, w[1]) &+ pairProducts(odd, w[5])
            a2 = a2 &+ pairProducts(even, w[2]) &+ pairProducts(odd, w[6])
            a3 = a3 &+ pairProducts(even, w[3]) &+ pairProducts(odd, w[7])
            w += 8
        }
        return (a0, a1, a2, a3)
    }
#endif

/// Sums of four output channels times four 16-pixel blocks (block-major).
typealias Int8Sums4x4 = (
    SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>,
    SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>,
    SIMD16<Int32>, SIMD16<Int32>
)
/// Sums of four output channels for one 16-pixel block.
typealias Int8Sums4x1 = (SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>)

/// `acc + sum_{j<4} u8(x.byte[4l + j]) * s8(w.byte[4l + j])` in each lane l: one `vpdpbusd`
/// (the shim in CInt8Instructions); elsewhere the same arithmetic lane by lane.
@inline(__always)
func dotProductAdd(_ acc: SIMD16<Int32>, _ x: SIMD16<Int32>, _ w: SIMD16<Int32>) -> SIMD16<Int32> {
    #if arch(x86_64) && FACESTREAM_INT8_VNNI
        return facestream_dpbusd16(acc, x, w)
    #else
        var result = acc
        for j: Int32 in 0..<4 {
            let xs = (x &>> (8 * j)) & 0xFF
            let ws = (w &<< (24 - 8 * j)) &>> 24
            result = result &+ xs &* ws
        }
        return result
    #endif
}

/// `x.low * w.low + x.high * w.high` per lane, with the 16-bit halves signed: one `vpmaddwd` per
/// 256 bits (the shim in CInt8Instructions); elsewhere the same arithmetic lane by lane.
@inline(__always)
func pairProducts(_ x: SIMD16<Int32>, _ pair: Int32) -> SIMD16<Int32> {
    #if arch(x86_64)
        return facestream_maddwd16(x, SIMD16<Int32>(repeating: pair))
    #else
        let w = SIMD16<Int32>(repeating: pair)
        return ((x &<< 16) &>> 16) &* ((w &<< 16) &>> 16) &+ (x &>> 16) &* (w &>> 16)
    #endif
}
