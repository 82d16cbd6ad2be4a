import NeuralKernelsCore

#if arch(x86_64)
    import CInt8Instructions
#endif

/// The input's quantisation: `qx = clamp(round(x / sx) + zx, 0, 255)`, computed as
/// `x * multiplier + zx` (multiplier = 1 / sx, or 0 for an all-zero input), rounded to nearest
/// even.
struct QuantizationStep {
    let multiplier: Float
    let zeroPoint: Float

    init(scale: Float, zeroPoint: Int32) {
        multiplier = scale > 0 && scale.isFinite ? 1 / scale : 0
        self.zeroPoint = Float(zeroPoint)
    }

    /// `qx` of 16 floats, each in the low byte of its lane (the other bits zero).
    @inline(__always)
    func quantize(_ x: SIMD16<Float>) -> SIMD16<Int32> {
        var v = x * multiplier + zeroPoint
        // Masked selects, not `pointwiseMin`/`Max`: those test every lane for NaN one at a time.
        v.replace(with: 0, where: v .< 0)
        v.replace(with: 255, where: v .> 255)
        // Adding 1.5 * 2^23 rounds to an integer held in the low mantissa bits (whose low byte is
        // the value, as 0x4B40_0000 ends in a zero byte); the library's rounding conversion is an
        // unspecialised call, far slower.
        return unsafeBitCast(v + 12_582_912, to: SIMD16<Int32>.self) & 0xFF
    }

    /// The scalar form of `quantize(_:)` (a NaN becomes 0).
    @inline(__always)
    func quantize(_ x: Float) -> Int32 {
        var v = x * multiplier + zeroPoint
        if v < 0 { v = 0 }
        if v > 255 { v = 255 }
        return Int32(bitPattern: (v + 12_582_912).bitPattern) & 0xFF
    }
}

/// The scale `sx` and zero point `zx` of an input of `count` floats (borrowed for the call): its
/// range widened to include 0, in 255 steps. One read of the input; NaNs are ignored, and an
/// all-zero (or non-finite) range gives scale 0.
func int8Quantization(of input: UnsafePointer<Float>, count: Int) -> (scale: Float, zeroPoint: Int32) {
    var highest = SIMD16<Float>(repeating: 0)
    var lowest = SIMD16<Float>(repeating: 0)
    var index = 0
    while index + 16 <= count {
        let v = UnsafeRawPointer(input + index).loadUnaligned(as: SIMD16<Float>.self)
        highest.replace(with: v, where: v .> highest)
        lowest.replace(with: v, where: v .< lowest)
        index += 16
    }
    var top = highest.max()
    var bottom = lowest.min()
    while index < count {
        if input[index] > top { top = input[index] }
        if input[index] < bottom { bottom = input[index] }
        index += 1
    }
    return int8Quantization(lowest: bottom, highest: top)
}

extension Int8PointwiseKernel {
    /// `int8Quantization(of:count:)` of this kernel's input (`inputChannels * pixels` floats, NCHW).
    package func quantization(of input: UnsafePointer<Float>) -> (scale: Float, zeroPoint: Int32) {
        int8Quantization(of: input, count: inputChannels * pixels)
    }

    /// Quantises `blocks` (1...4) 16-pixel blocks from `firstPixel` of every input channel into
    /// `tile` (layout in `Int8MultiplyAdd.swift`): channels beyond `inputChannels` and pixels
    /// beyond `pixels` are 0, whose weight or output is never used.
    @inline(__always)
    func quantizeTile(
        input: UnsafePointer<Float>, step: QuantizationStep, firstPixel: Int, blocks: Int,
        into tile: UnsafeMutableRawPointer
    ) {
        let wholeBlocks = max(0, min(blocks, (pixels - firstPixel) / 16))
        for g in 0..<groups {
            let row = tile + g * Self.tilePixels * 4
            let channel = 4 * g
            let present = min(4, inputChannels - channel)
            let plane = input + channel * pixels + firstPixel
            for b in 0..<wholeBlocks {
                let at = plane + b * 16
                var word = step.quantize(UnsafeRawPointer(at).loadUnaligned(as: SIMD16<Float>.self))
                if present > 1 {
                    word |= step.quantize(UnsafeRawPointer(at + pixels).loadUnaligned(as: SIMD16<Float>.self)) &<< 8
                }
                if present > 2 {
                    word |=
                        step.quantize(UnsafeRawPointer(at + 2 * pixels).loadUnaligned(as: SIMD16<Float>.self)) &<< 16
                }
                if present > 3 {
                    word |=
                        step.quantize(UnsafeRawPointer(at + 3 * pixels).loadUnaligned(as: SIMD16<Float>.self)) &<< 24
                }
                row.storeBytes(of: word, toByteOffset: b * 64, as: SIMD16<Int32>.self)
            }
            for p in (wholeBlocks * 16)..<(blocks * 16) {
                var word: Int32 = 0
                if firstPixel + p < pixels {
                    for j in 0..<present { word |= step.quantize(plane[j * pixels + p]) << (8 * j) }
                }
                row.storeBytes(of: word, toByteOffset: p * 4, as: Int32.self)
            }
        }
    }

    /// Packs `blocks` (1...4) 16-pixel blocks from `firstPixel` of every input channel from bytes
    /// (`inputChannels * pixels`, planar) into `tile`, in `quantizeTile`'s layout: a pixel's four
    /// channel bytes of a group in one 32-bit word. Channels beyond `inputChannels` and pixels
    /// beyond `pixels` are 0.
    @inline(__always)
    func packTile(input: UnsafePointer<UInt8>, firstPixel: Int, blocks: Int, into tile: UnsafeMutableRawPointer) {
        let wholeBlocks = max(0, min(blocks, (pixels - firstPixel) / 16))
        for g in 0..<groups {
            let row = tile + g * Self.tilePixels * 4
            let channel = 4 * g
            let present = min(4, inputChannels - channel)
            let plane = input + channel * pixels + firstPixel
            for b in 0..<wholeBlocks {
                let at = plane + b * 16
                var word = widen(at)
                if present > 1 { word |= widen(at + pixels) &<< 8 }
                if present > 2 { word |= widen(at + 2 * pixels) &<< 16 }
                if present > 3 { word |= widen(at + 3 * pixels) &<< 24 }
                row.storeBytes(of: word, toByteOffset: b * 64, as: SIMD16<Int32>.self)
            }
            for p in (wholeBlocks * 16)..<(blocks * 16) {
                var word: Int32 = 0
                if firstPixel + p < pixels {
                    for j in 0..<present { word |= Int32(plane[j * pixels + p]) << (8 * j) }
                }
                row.storeBytes(of: word, toByteOffset: p * 4, as: Int32.self)
            }
        }
    }

    /// 16 bytes from `p`, each zero-extended into a 32-bit lane.
    @inline(__always)
    private func widen(_ p: UnsafePointer<UInt8>) -> SIMD16<Int32> {
        let bytes = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
        #if arch(x86_64)
            return facestream_widen_bytes16(bytes)
        #else
            var words = SIMD16<Int32>()
            for lane in 0..<16 { words[lane] = Int32(bytes[lane]) }
            return words
        #endif
    }
}
