import NeuralKernelsCore

/// A KxK convolution with stride 1 and one group (any padding and dilation) in 8-bit integers,
/// for one build of the int8 kernels (`NeuralKernels.Int8SpatialConvolution` picks one):
///
///     out[o, y, x] = act(bias[o] + sx * sw[o] * sum_{i,ky,kx} qw[o, i, ky, kx] * (qx[i, y', x'] - zx))
///     y' = y - padTop + ky * dilationY,  x' = x - padLeft + kx * dilationX
///
/// with the same quantisation as `Int8PointwiseKernel`, and positions outside the picture
/// holding `zx` (the byte that stands for 0, so they add nothing).
///
/// The input is quantised once per run into a padded image (`quantize`): per group g of four
/// input channels a plane of `paddedHeight x paddedWidth` 32-bit words (a pixel's four channel
/// bytes), the border filled with `zx`. The output is cut into 16-pixel row segments (blocks);
/// for a block at (y, x0) and tap (ky, kx), the 16 words the tap reads are contiguous in the
/// padded plane at row `y + ky * dilationY`, column `x0 + kx * dilationX`, so each reduction step
/// (tap, group) is one load at a fixed offset from the block's corner (`stepOffsets`), and the
/// 1x1 kernel's multiply-adds run unchanged. Lanes past a row's end compute values never stored.
package final class Int8SpatialKernel: Sendable {
    package let geometry: ConvolutionGeometry
    let groups: Int
    let paddedHeight: Int
    let paddedWidth: Int
    /// 16-pixel blocks per output row.
    let segmentsPerRow: Int
    let weights: Int8Weights
    /// Byte offset of reduction step r = t * groups + g from a block's corner.
    let stepOffsets: [Int]

    /// Bytes of the padded quantised image (plus 16 words a block may read past its plane's end).
    package var quantizedBytes: Int { (groups * paddedHeight * paddedWidth + 16) * 4 }

    /// Number of 16-pixel blocks (the unit of `run`'s ranges): `outputHeight * segmentsPerRow`.
    package var blockCount: Int { geometry.outputHeight * segmentsPerRow }

    /// `geometry` must have stride 1 and one group; `weights` are OIHW.
    package init(geometry: ConvolutionGeometry, weights: [Float], bias: [Float], relu: Bool) {
        precondition(geometry.strideY == 1 && geometry.strideX == 1 && geometry.groups == 1 && geometry.isValid)
        self.geometry = geometry
        groups = (geometry.inputChannels + 3) / 4
        paddedHeight = geometry.inputHeight + geometry.padTop + geometry.padBottom
        paddedWidth = geometry.inputWidth + geometry.padLeft + geometry.padRight
        segmentsPerRow = (geometry.outputWidth + 15) / 16
        let taps = geometry.kernelHeight * geometry.kernelWidth
        self.weights = Int8Weights(
            weights: weights, bias: bias, outputChannels: geometry.outputChannels,
            inputChannels: geometry.inputChannels, taps: taps, relu: relu)
        var offsets: [Int] = []
        for ky in 0..<geometry.kernelHeight {
            for kx in 0..<geometry.kernelWidth {
                for g in 0..<groups {
                    let word =
                        (g * paddedHeight + ky * geometry.dilationY) * paddedWidth + kx * geometry.dilationX
                    offsets.append(word * 4)
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
        let (height, width) = (geometry.inputHeight, geometry.inputWidth)
        let plane = height * width
        // Every word first holds the zero point in its four bytes (the border keeps it).
        let border = SIMD16<Int32>(repeating: zeroPoint &* 0x0101_0101)
        let words = quantizedBytes / 4
        var index = 0
        while index + 16 <= words {
            quantized.storeBytes(of: border, toByteOffset: index * 4, as: SIMD16<Int32>.self)
            index += 16
        }
        while index < words {
            quantized.storeBytes(of: border[0], toByteOffset: index * 4, as: Int32.self)
            index += 1
        }
        for g in 0..<groups {
            let present = min(4, geometry.inputChannels - 4 * g)
            let channel = input + 4 * g * plane
            for y in 0..<height {
                let source = channel + y * width
                let row = quantized + ((g * paddedHeight + y + geometry.padTop) * paddedWidth + geometry.padLeft) * 4
                var x = 0
                while x + 16 <= width {
                    var word = SIMD16<Int32>()
                    for j in 0..<present {
                        let v = UnsafeRawPointer(source + j * plane + x).loadUnaligned(as: SIMD16<Float>.self)
                        word |= step.quantize(v) &<< Int32(8 * j)
                    }
                    row.storeBytes(of: word, toByteOffset: x * 4, as: SIMD16<Int32>.self)
                    x += 16
                }
                while x < width {
                    var word: Int32 = 0
                    for j in 0..<present { word |= step.quantize(source[j * plane + x]) << (8 * j) }
                    row.storeBytes(of: word, toByteOffset: x * 4, as: Int32.self)
                    x += 1
                }
            }
        }
    }

    /// Computes every output channel for the blocks `blocks` from the padded image `quantized`
    /// (`quantize`'s output with the same scale and zero point) and writes
    /// `output[(o * outputHeight + y) * outputWidth + x]` for their pixels. Concurrent calls must
    /// use disjoint ranges; pointers are borrowed for the call.
    package func run(
        quantized: UnsafeRawPointer, scale: Float, zeroPoint: Int32, output: UnsafeMutablePointer<Float>,
        blocks: Range<Int>
    ) {
        let steps = weights.steps
        weights.packed.withUnsafeBufferPointer { packed in
            stepOffsets.withUnsafeBufferPointer { offsets in
                let offsets = offsets.baseAddress!
                var block = blocks.lowerBound
                while block < blocks.upperBound {
                    let width = min(4, blocks.upperBound - block)
                    var o = 0
                    while o < weights.paddedOutputs {
                        let w = packed.baseAddress! + weights.offset(ofOutput: o)
                        if width == 4 {
                            let a = int8MultiplyAdd4x4(
                                corner(block, quantized), corner(block + 1, quantized), corner(block + 2, quantized),
                                corner(block + 3, quantized), offsets: offsets, steps: steps, weights: w)
                            store((a.0, a.1, a.2, a.3), block: block, outputs: o, zeroPoint, scale, output)
                            store((a.4, a.5, a.6, a.7), block: block + 1, outputs: o, zeroPoint, scale, output)
                            store((a.8, a.9, a.10, a.11), block: block + 2, outputs: o, zeroPoint, scale, output)
                            store((a.12, a.13, a.14, a.15), block: block + 3, outputs: o, zeroPoint, scale, output)
                        } else {
                            for b in block..<(block + width) {
                                let sums = int8MultiplyAdd4x1(
                                    corner(b, quantized), offsets: offsets, steps: steps, weights: w)
                                store(sums, block: b, outputs: o, zeroPoint, scale, output)
                            }
                        }
                        o += 4
                    }
                    block += width
                }
            }
        }
    }

    /// The padded image's word at the block's first output pixel (tap 0, group 0).
    @inline(__always)
    private func corner(_ block: Int, _ quantized: UnsafeRawPointer) -> UnsafeRawPointer {
        let y = block / segmentsPerRow
        let x = (block - y * segmentsPerRow) * 16
        return quantized + (y * paddedWidth + x) * 4
    }

    @inline(__always)
    private func store(
        _ sums: Int8Sums4x1, block: Int, outputs o: Int, _ zeroPoint: Int32, _ scale: Float,
        _ output: UnsafeMutablePointer<Float>
    ) {
        let y = block / segmentsPerRow
        let x = (block - y * segmentsPerRow) * 16
        let outputWidth = geometry.outputWidth
        let plane = geometry.outputHeight * outputWidth
        weights.store(
            sums, outputs: o, zeroPoint: zeroPoint, scale: scale, to: output + o * plane + y * outputWidth + x,
            channelStride: plane, count: min(16, outputWidth - x))
    }
}
