import NeuralKernels

/// The naive reference of the int8 1x1 convolution's integer part, compared exactly with
/// `NeuralKernels.Int8PointwiseConvolution`: `sum_i qw[o, i] * (qx[i, p] - zeroPoint)` in 64-bit
/// integers from already-quantised values (`weights` O x I signed, `input` I x P unsigned,
/// row-major); result O x P.
public func referenceInt8PointwiseSums(
    weights: [Int8], input: [UInt8], zeroPoint: Int, inputChannels: Int, outputChannels: Int, pixels: Int
) -> [Int64] {
    var sums = [Int64](repeating: 0, count: outputChannels * pixels)
    for o in 0..<outputChannels {
        for p in 0..<pixels {
            var sum: Int64 = 0
            for i in 0..<inputChannels {
                sum += Int64(weights[o * inputChannels + i]) * (Int64(input[i * pixels + p]) - Int64(zeroPoint))
            }
            sums[o * pixels + p] = sum
        }
    }
    return sums
}

/// The naive reference of the int8 KxK convolution's integer part (one group), compared exactly
/// with `NeuralKernels.Int8SpatialConvolution`: `sum qw[o, i, ky, kx] * (qx[i, y', x'] -
/// zeroPoint)` over the taps inside the picture (`y' = y * stride - padTop + ky * dilation`, likewise x),
/// in 64-bit integers. `weights` OIHW, `input` CHW; result O x outputHeight x outputWidth.
public func referenceInt8ConvolutionSums(
    weights: [Int8], input: [UInt8], zeroPoint: Int, geometry: ConvolutionGeometry
) -> [Int64] {
    let g = geometry
    let (height, width, outputHeight, outputWidth) = (g.inputHeight, g.inputWidth, g.outputHeight, g.outputWidth)
    var sums = [Int64](repeating: 0, count: g.outputChannels * outputHeight * outputWidth)
    for o in 0..<g.outputChannels {
        for y in 0..<outputHeight {
            for x in 0..<outputWidth {
                var sum: Int64 = 0
                for i in 0..<g.inputChannels {
                    for ky in 0..<g.kernelHeight {
                        for kx in 0..<g.kernelWidth {
                            let sy = y * g.strideY - g.padTop + ky * g.dilationY
                            let sx = x * g.strideX - g.padLeft + kx * g.dilationX
                            guard sy >= 0, sy < height, sx >= 0, sx < width else { continue }
                            let w = Int64(
                                weights[((o * g.inputChannels + i) * g.kernelHeight + ky) * g.kernelWidth + kx])
                            sum += w * (Int64(input[(i * height + sy) * width + sx]) - Int64(zeroPoint))
                        }
                    }
                }
                sums[(o * outputHeight + y) * outputWidth + x] = sum
            }
        }
    }
    return sums
}
