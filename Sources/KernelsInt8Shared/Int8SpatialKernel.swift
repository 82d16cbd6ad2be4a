import NeuralKernelsCore

/// A KxK convolution with one group (any stride, padding and dilation) in 8-bit integers, for
/// one build of the int8 kernels (`NeuralKernels.Int8SpatialConvolution` picks one):
///
///     out[o, y, x] = act(bias[o] + sx * sw[o] * sum_{i,ky,kx} qw[o, i, ky, kx] * (qx[i, y', x'] - zx))
///     y' = y * strideY - padTop + ky * dilationY,  x' = x * strideX - padLeft + kx * dilationX
///
/// with the same quantisation as `Int8PointwiseKernel`, and positions outside the picture
/// holding `zx` (the byte that stands for 0, so they add nothing).
///
/// The input is quantised once per run into a padded image (`quantize`), the border filled with
/// `zx`, split into stride phases: padded position (py, px) goes to phase (py % strideY,
/// px % strideX) at (py / strideY, px / strideX), so that consecutive outputs of a row read
/// consecutive words of one phase (with stride 1 there is one phase, the padded image itself).
/// Per group g of four input channels and phase, a plane of `phaseHeight x phaseWidth` 32-bit
/// words (a pixel's four channel bytes). The output is cut into 16-pixel row segments (blocks);
/// for a block at (y, x0) and tap (ky, kx) the 16 words the tap reads are contiguous, at a fixed
/// offset from the block's corner (`stepOffsets`), so each reduction step (tap, group) is one
/// load and the 1x1 kernel's multiply-adds run unchanged. Lanes past a row's end compute values
/// never stored.
package final class Int8SpatialKernel: Sendable {
    package let geometry: ConvolutionGeometry
    let groups: Int
    /// Stride phases: strideY * strideX.
    let phases: Int
    let phaseHeight: Int
    let phaseWidth: Int
    /// 16-pixel blocks per output row.
    let segmentsPerRow: Int
    /// The geometry's output size, kept here: its getters are not inlined across modules.
    let outputHeight: Int
    let outputWidth: Int
    let weights: Int8Weights
    /// Byte offset of reduction step r = t * groups + g from a block's corner.
    let stepOffsets: [Int]

    /// Words of the padded image: its planes plus 16 a block may read past the last plane's end.
    var quantizedWords: Int { groups * phases * phaseHeight * phaseWidth + 16 }

    /// Bytes of the padded quantised image.
    package var quantizedBytes: Int { quantizedWords * 4 }

    /// Number of 16-pixel blocks (the unit of `run`'s ranges): `outputHeight * segmentsPerRow`.
    package var blockCount: Int { outputHeight * segmentsPerRow }

    /// `geometry` must have one group; `weights` are OIHW.
    /// `outputScales` (per output channel) writes the output as bytes (`Int8Weights.outputInverseScales`).
    package init(
        geometry: ConvolutionGeometry, weights: [Float], bias: [Float], relu: Bool, outputScales: [Float]? = nil
    ) {
        precondition(geometry.groups == 1 && geometry.isValid)
        self.geometry = geometry
        let g = geometry
        groups = (g.inputChannels + 3) / 4
        phases = g.strideY * g.strideX
        phaseHeight = (g.inputHeight + g.padTop + g.padBottom + g.strideY - 1) / g.strideY
        phaseWidth = (g.inputWidth + g.padLeft + g.padRight + g.strideX - 1) / g.strideX
        segmentsPerRow = (g.outputWidth + 15) / 16
        outputHeight = g.outputHeight
        outputWidth = g.outputWidth
        self.weights = Int8Weights(
            weights: weights, bias: bias, outputChannels: g.outputChannels, inputChannels: g.inputChannels,
            taps: g.kernelHeight * g.kernelWidth, relu: relu, outputScales: outputScales)
        var offsets: [Int] = []
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let (dy, dx) = (ky * g.dilationY, kx * g.dilationX)
                let phase = dy % g.strideY * g.strideX + dx % g.strideX
                for group in 0..<groups {
                    let plane = group * phases + phase
                    offsets.append(((plane * phaseHeight + dy / g.strideY) * phaseWidth + dx / g.strideX) * 4)
                }
            }
        }
        stepOffsets = offsets
    }

    /// `int8Quantization(of:count:)` of this kernel's input (NCHW floats, borrowed for the call).
    package func quantization(of input: UnsafePointer<Float>) -> (scale: Float, zeroPoint: Int32) {
        int8Quantization(of: input, count: geometry.inputCount)
    }

    /// Writes the padded quantised image of `input` into `quantized` (`quantizedBytes`,
    /// overwritten). Both pointers are borrowed for the call.
    package func quantize(
        input: UnsafePointer<Float>, scale: Float, zeroPoint: Int32, into quantized: UnsafeMutableRawPointer
    ) {
        let step = QuantizationStep(scale: scale, zeroPoint: zeroPoint)
        let g = geometry
        let plane = g.inputHeight * g.inputWidth
        // Every word first holds the zero point in its four bytes (the border keeps it).
        let border = SIMD16<Int32>(repeating: zeroPoint &* 0x0101_0101)
        var index = 0
        while index + 16 <= quantizedWords {
            quantized.storeBytes(of: border, toByteOffset: index * 4, as: SIMD16<Int32>.self)
            index += 16
        }
        while index < quantizedWords {
            quantized.storeBytes(of: border[0], toByteOffset: index * 4, as: Int32.self)
            index += 1
        }
        for group in 0..<groups {
            let present = min(4, g.inputChannels - 4 * group)
            let channel = input + 4 * group * plane
            for y in 0..<g.inputHeight {
                let source = channel + y * g.inputWidth
                let py = y + g.padTop
                // The phase row this input row lands in, at column 0 of phase 0.
                let rowWord =
                    ((group * phases + py % g.strideY * g.strideX) * phaseHeight + py / g.strideY) * phaseWidth
                var x = 0
                if g.strideX <= 2 && g.inputWidth >= 16 {
                    let row = PhaseRowQuantizer(
                        source: source, plane: plane, present: present, step: step, padLeft: g.padLeft,
                        strideX: g.strideX, phasePlane: phaseHeight * phaseWidth, rowWord: rowWord, into: quantized)
                    while x + 16 <= g.inputWidth {
                        row.quantize16(x: x)
                        x += 16
                    }
                    // A row's last partial vector: its last 16 pixels, some of them written again
                    // with the same words.
                    if x < g.inputWidth {
                        let last = g.inputWidth - 16
                        row.quantize16(x: last)
                        x = g.inputWidth
                    }
                }
                while x < g.inputWidth {
                    var word: Int32 = 0
                    for j in 0..<present { word |= step.quantize(source[j * plane + x]) << (8 * j) }
                    let px = x + g.padLeft
                    let at = rowWord + px % g.strideX * phaseHeight * phaseWidth + px / g.strideX
                    quantized.storeBytes(of: word, toByteOffset: at * 4, as: Int32.self)
                    x += 1
                }
            }
        }
    }

    /// Computes every output channel for the blocks `blocks` from the padded image `quantized`
    /// (`quantize`'s output with the same scale and zero point) and writes
    /// `output[(o * outputHeight + y) * outputWidth + x]` for their pixels (floats, or bytes when made
    /// with output scales). Concurrent calls must
    /// use disjoint ranges; pointers are borrowed for the call.
    package func run(
        quantized: UnsafeRawPointer, scale: Float, zeroPoint: Int32, output: UnsafeMutableRawPointer,
        blocks: Range<Int>
    ) {
        if weights.writesBytes {
            let writer = Int8ByteWriter(output: output)
            run(quantized: quantized, scale: scale, zeroPoint: zeroPoint, writer: writer, blocks: blocks)
        } else {
            let writer = Int8FloatWriter(output: output.assumingMemoryBound(to: Float.self))
            run(quantized: quantized, scale: scale, zeroPoint: zeroPoint, writer: writer, blocks: blocks)
        }
    }

    /// `run` for one output form (specialised for each writer).
    private func run<Writer: Int8OutputWriter>(
        quantized: UnsafeRawPointer, scale: Float, zeroPoint: Int32, writer: Writer, blocks: Range<Int>
    ) {
        let steps = weights.steps
        let plane = outputHeight * outputWidth
        // With rows of whole blocks, consecutive blocks are consecutive outputs (across rows too).
        let rowsAreWhole = outputWidth % 16 == 0
        weights.packed.withUnsafeBufferPointer { packed in
            stepOffsets.withUnsafeBufferPointer { offsets in
                let offsets = offsets.baseAddress!
                var block = blocks.lowerBound
                while block < blocks.upperBound {
                    let width = min(4, blocks.upperBound - block)
                    // Where each block of the tile reads and writes, worked out once for all the
                    // output channels (a division each).
                    let p0 = place(block)
                    let p1 = place(min(block + 1, blocks.upperBound - 1))
                    let p2 = place(min(block + 2, blocks.upperBound - 1))
                    let p3 = place(min(block + 3, blocks.upperBound - 1))
                    var o = 0
                    while o < weights.paddedOutputs {
                        let w = packed.baseAddress! + weights.offset(ofOutput: o)
                        let epilogue = weights.epilogue(outputs: o, zeroPoint: zeroPoint, scale: scale)
                        if width == 4 {
                            let a = int8MultiplyAdd4x4(
                                quantized + p0.corner, quantized + p1.corner, quantized + p2.corner,
                                quantized + p3.corner, offsets: offsets, steps: steps, weights: w)
                            if rowsAreWhole {
                                // Four whole blocks in a row of the output plane: 64 outputs.
                                epilogue.storeTile(a, writer, element: o * plane + p0.output, channelStride: plane)
                            } else {
                                p0.store((a.0, a.1, a.2, a.3), outputs: o, epilogue, writer, plane: plane)
                                p1.store((a.4, a.5, a.6, a.7), outputs: o, epilogue, writer, plane: plane)
                                p2.store((a.8, a.9, a.10, a.11), outputs: o, epilogue, writer, plane: plane)
                                p3.store((a.12, a.13, a.14, a.15), outputs: o, epilogue, writer, plane: plane)
                            }
                        } else {
                            for b in block..<(block + width) {
                                let at = place(b)
                                let sums = int8MultiplyAdd4x1(
                                    quantized + at.corner, offsets: offsets, steps: steps, weights: w)
                                at.store(sums, outputs: o, epilogue, writer, plane: plane)
                            }
                        }
                        o += 4
                    }
                    block += width
                }
            }
        }
    }

    /// A block's byte offset in the padded image (its first output pixel, tap 0, group 0), its
    /// first output's offset in an output plane, and how many of its 16 outputs exist.
    struct BlockPlace {
        let corner: Int
        let output: Int
        let count: Int

        /// Writes output channels `o..<o + 4` of this block (planes of `plane` outputs).
        /// `@_transparent` for the reason given at `Int8PointwiseKernel.OutputRows.store`.
        @_transparent
        func store<Writer: Int8OutputWriter>(
            _ sums: Int8Sums4x1, outputs o: Int, _ epilogue: Int8Epilogue, _ writer: Writer, plane: Int
        ) {
            epilogue.store(
                sums, writer, element: o * plane + output, channelStride: plane, count: count)
        }
    }

    @inline(__always)
    private func place(_ block: Int) -> BlockPlace {
        let y = block / segmentsPerRow
        let x = (block - y * segmentsPerRow) * 16
        return BlockPlace(
            corner: (y * phaseWidth + x) * 4, output: y * outputWidth + x, count: min(16, outputWidth - x))
    }
}

/// Writes 16-pixel pieces of one input row into the padded image (`Int8SpatialKernel.quantize`).
/// A struct so that its method can be `@_transparent`: as a method of the kernel class, even with
/// `@inline(__always)`, it stayed an out-of-line call per 16 pixels (the int8 stem 0.111-0.121 ->
/// 0.125 ms). Its pointers are borrowed from `quantize` for that call.
private struct PhaseRowQuantizer {
    /// The row in the group's first channel; channel j is `j * plane` floats on.
    let source: UnsafePointer<Float>
    let plane: Int
    /// Channels of the group present in the input (1...4).
    let present: Int
    let step: QuantizationStep
    let padLeft: Int
    /// 1 or 2.
    let strideX: Int
    /// Words of one phase plane.
    let phasePlane: Int
    /// The phase row's first word (column 0 of phase 0).
    let rowWord: Int
    let into: UnsafeMutableRawPointer

    /// Quantises input pixels `x..<x + 16`: one word per pixel, channel j in byte j.
    @_transparent
    func quantize16(x: Int) {
        var word = SIMD16<Int32>()
        for j in 0..<present {
            let v = UnsafeRawPointer(source + j * plane + x).loadUnaligned(as: SIMD16<Float>.self)
            word |= step.quantize(v) &<< Int32(8 * j)
        }
        let px = x + padLeft
        if strideX == 1 {
            into.storeBytes(of: word, toByteOffset: (rowWord + px) * 4, as: SIMD16<Int32>.self)
        } else {
            // Even lanes to the phase of px's parity, odd lanes to the other.
            let even = (rowWord + px % 2 * phasePlane + px / 2) * 4
            let odd = (rowWord + (px + 1) % 2 * phasePlane + (px + 1) / 2) * 4
            into.storeBytes(of: word.evenHalf, toByteOffset: even, as: SIMD8<Int32>.self)
            into.storeBytes(of: word.oddHalf, toByteOffset: odd, as: SIMD8<Int32>.self)
        }
    }
}
