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
