/// A 1x1 convolution (stride 1, no padding, one group) in 8-bit integers, for one build of the
/// int8 kernels (this file is compiled into `NeuralKernelsInt8VNNI` and `NeuralKernelsInt8AVX2`;
/// `NeuralKernels.Int8PointwiseConvolution` picks one at run time and documents the API).
///
///     out[o, p] = act(bias[o] + sx * sw[o] * sum_i qw[o, i] * (qx[i, p] - zx))
///
/// Weights are quantised once, symmetrically per output channel (`qw` in -127...127, `sw[o]` =
/// largest |w[o, i]| / 127). The input is quantised at each run, per tensor, to unsigned bytes
/// (`qx` in 0...255 over the input's range widened to hold 0: `sx` = (max - min) / 255, zero point
/// `zx` = round(-min / sx)); after a ReLU min is 0, so `zx` = 0 and all 255 steps cover the
/// values that occur, and the scale fits the picture at hand. Two inputs skip that: bytes an
/// int8 layer before wrote at a calibrated step (`run(bytes:scale:...)`), and an input whose
/// range is known in advance (the caller passes its quantisation).
///
/// A run goes tile by tile (64 pixels, four 16-pixel blocks): the tile's input is quantised into
/// a small buffer that stays in L1 (`quantizeTile`), then every output channel is computed from
/// it four channels at a time, with the accumulators in registers (`Int8MultiplyAdd.swift`), and
/// written out as floats. The sums are exact in 32 bits (|sum| <= 255 * 127 * channels).
package final class Int8PointwiseKernel: Sendable {
    package let inputChannels: Int
    package let outputChannels: Int
    package let pixels: Int
    /// Groups of four input channels (inputChannels rounded up to a multiple of 4, divided by 4):
    /// one 32-bit lane of the quantised input holds a pixel's four channels of a group.
    let groups: Int
    let weights: Int8Weights
    /// Byte offset of group g's rows in a tile: g * 256.
    let stepOffsets: [Int]

    /// Pixels of one tile: four 16-pixel blocks.
    static let tilePixels = 64

    /// Bytes of one tile's quantised input (`groups * 64` pixels of 4 bytes; a multiple of 64).
    /// Each concurrent `run` needs its own buffer of this size.
    package var tileBytes: Int { groups * Self.tilePixels * 4 }

    /// Number of 16-pixel blocks (the unit of `run`'s ranges).
    package var blockCount: Int { (pixels + 15) / 16 }

    /// `outputScales` (per output channel) writes the output as bytes (`Int8Weights.outputInverseScales`).
    package init(
        inputChannels: Int, outputChannels: Int, pixels: Int, weights: [Float], bias: [Float], relu: Bool,
        outputScales: [Float]? = nil
    ) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.pixels = pixels
        groups = (inputChannels + 3) / 4
        self.weights = Int8Weights(
            weights: weights, bias: bias, outputChannels: outputChannels, inputChannels: inputChannels, taps: 1,
            relu: relu, outputScales: outputScales)
        stepOffsets = (0..<groups).map { $0 * Self.tilePixels * 4 }
    }

    /// Computes every output channel for the 16-pixel blocks `blocks` straight from the float
    /// input (NCHW, `inputChannels * pixels`) quantised with `quantization(of:)`'s result, and writes
    /// `output[o * pixels + p]` for those pixels (floats, or bytes when made with output scales). `tile` is `tileBytes` of scratch owned by this
    /// call (64-byte aligned is best); concurrent calls need their own tile and disjoint ranges.
    /// Every pointer is borrowed for the call.
    package func run(
        input: UnsafePointer<Float>, scale: Float, zeroPoint: Int32, tile: UnsafeMutableRawPointer,
        output: UnsafeMutableRawPointer, blocks: Range<Int>
    ) {
        let source = FloatTiles(input: input, step: QuantizationStep(scale: scale, zeroPoint: zeroPoint))
        if weights.writesBytes {
            let writer = Int8ByteWriter(output: output)
            run(source, scale: scale, zeroPoint: zeroPoint, tile: tile, writer: writer, blocks: blocks)
        } else {
            let writer = Int8FloatWriter(output: output.assumingMemoryBound(to: Float.self))
            run(source, scale: scale, zeroPoint: zeroPoint, tile: tile, writer: writer, blocks: blocks)
        }
    }

    /// `run` for an input that is already bytes of step `scale` (zero point 0), planar
    /// (`inputChannels * pixels`), as an int8 layer before wrote it: the tiles are packed from
    /// the bytes, not quantised. Pointers are borrowed for the call.
    package func run(
        bytes: UnsafePointer<UInt8>, scale: Float, tile: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer,
        blocks: Range<Int>
    ) {
        let source = ByteTiles(input: bytes)
        if weights.writesBytes {
            run(source, scale: scale, zeroPoint: 0, tile: tile, writer: Int8ByteWriter(output: output), blocks: blocks)
        } else {
            let writer = Int8FloatWriter(output: output.assumingMemoryBound(to: Float.self))
            run(source, scale: scale, zeroPoint: 0, tile: tile, writer: writer, blocks: blocks)
        }
    }

    /// Where a run's tiles come from: floats quantised (`quantizeTile`) or bytes packed
    /// (`packTile`). The loop is generic over it, each form compiled on its own.
    protocol TileSource {
        func fill(_ kernel: Int8PointwiseKernel, firstPixel: Int, blocks: Int, into tile: UnsafeMutableRawPointer)
    }

    struct FloatTiles: TileSource {
        let input: UnsafePointer<Float>
        let step: QuantizationStep

        @inline(__always)
        func fill(_ kernel: Int8PointwiseKernel, firstPixel: Int, blocks: Int, into tile: UnsafeMutableRawPointer) {
            kernel.quantizeTile(input: input, step: step, firstPixel: firstPixel, blocks: blocks, into: tile)
        }
    }

    struct ByteTiles: TileSource {
        let input: UnsafePointer<UInt8>

        @inline(__always)
        func fill(_ kernel: Int8PointwiseKernel, firstPixel: Int, blocks: Int, into tile: UnsafeMutableRawPointer) {
            kernel.packTile(input: input, firstPixel: firstPixel, blocks: blocks, into: tile)
        }
    }

    /// `run` for one input and one output form (specialised for each).
    private func run<Source: TileSource, Writer: Int8OutputWriter>(
        _ source: Source, scale: Float, zeroPoint: Int32, tile: UnsafeMutableRawPointer, writer: Writer,
        blocks: Range<Int>
    ) {
        weights.packed.withUnsafeBufferPointer { packed in
            stepOffsets.withUnsafeBufferPointer { offsets in
                let offsets = offsets.baseAddress!
                let x = UnsafeRawPointer(tile)
                var block = blocks.lowerBound
                while block < blocks.upperBound {
                    let width = min(4, blocks.upperBound - block)
                    let pixel = block * 16
                    source.fill(self, firstPixel: pixel, blocks: width, into: tile)
                    var o = 0
                    while o < weights.paddedOutputs {
                        let w = packed.baseAddress! + weights.offset(ofOutput: o)
                        let rows = OutputRows(
                            first: o, pixel: pixel, pixels: pixels,
                            epilogue: weights.epilogue(outputs: o, zeroPoint: zeroPoint, scale: scale), writer: writer)
                        if width == 4 {
                            let a = int8MultiplyAdd4x4(
                                x, x + 64, x + 128, x + 192, offsets: offsets, steps: groups, weights: w)
                            if pixel + 64 <= pixels {
                                rows.epilogue.storeTile(
                                    a, writer, element: o * pixels + pixel, channelStride: pixels)
                            } else {
                                rows.store((a.0, a.1, a.2, a.3), block: 0)
                                rows.store((a.4, a.5, a.6, a.7), block: 1)
                                rows.store((a.8, a.9, a.10, a.11), block: 2)
                                rows.store((a.12, a.13, a.14, a.15), block: 3)
                            }
                        } else {
                            for b in 0..<width {
                                let sums = int8MultiplyAdd4x1(x + b * 64, offsets: offsets, steps: groups, weights: w)
                                rows.store(sums, block: b)
                            }
                        }
                        o += 4
                    }
                    block += width
                }
            }
        }
    }

    /// Where `store` writes: output channels `first..<first + 4` from the tile's first pixel, of
    /// planes of `pixels`.
    struct OutputRows<Writer: Int8OutputWriter> {
        let first: Int
        let pixel: Int
        let pixels: Int
        let epilogue: Int8Epilogue
        let writer: Writer

        /// Writes block `block` of the tile (those of its pixels that exist). `@_transparent`
        /// (which classes do not allow, hence here): with `@inline(__always)` the generic form
        /// stayed a call, 19 % of an int8 run.
        @_transparent
        func store(_ sums: Int8Sums4x1, block: Int) {
            let at = pixel + block * 16
            guard at < pixels else { return }
            epilogue.store(
                sums, writer, element: first * pixels + at, channelStride: pixels,
                count: min(16, pixels - at))
        }
    }
}
