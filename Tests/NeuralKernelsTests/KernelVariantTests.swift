import NeuralKernels
import Testing

/// Both kernel builds (fused multiply-add and portable) against the reference convolution, on
/// geometries that reach every strategy and every micro-kernel edge case.
struct KernelVariantTests {
    static func conv(
        _ c: Int, _ h: Int, _ w: Int, to o: Int, k: Int = 3, s: Int = 1, p: Int = 0, d: Int = 1, g: Int = 1
    ) -> ConvolutionGeometry {
        ConvolutionGeometry(
            inputChannels: c, inputHeight: h, inputWidth: w, outputChannels: o, kernelHeight: k, kernelWidth: k,
            strideY: s, strideX: s, dilationY: d, dilationX: d, padTop: p, padLeft: p, padBottom: p, padRight: p,
            groups: g)
    }

    static let geometries: [ConvolutionGeometry] = [
        conv(16, 30, 40, to: 13, k: 1),  // pointwise: 4x24, 2x24, 1x24, 8-wide and overlapped columns
        conv(64, 4, 5, to: 19, k: 1),  // pointwise narrow: 8x8, 4x8, 1x8
        conv(5, 2, 3, to: 6, k: 1),  // fewer than 8 columns: scalar rows
        conv(5, 24, 32, to: 16, s: 2, p: 1),  // im2col, stride 2
        conv(3, 24, 52, to: 18, s: 2, p: 1),  // stem3x3, stride 2: 24-wide blocks, 2 channels in the last block
        conv(2, 9, 13, to: 5, p: 1),  // stem3x3, stride 1: 8-wide blocks
        conv(8, 12, 14, to: 6, p: 2, d: 2),  // im2col, dilated
        conv(24, 40, 37, to: 24, p: 1, g: 24),  // depthwise, wide rows
        conv(24, 9, 11, to: 24, s: 2, p: 1, g: 24),  // depthwise, padded copy, stride 2
        conv(6, 7, 8, to: 6, k: 5, p: 2, g: 6),  // generic
        conv(13, 4, 5, to: 7, k: 1),  // narrow columns, odd depth: 4x8 and 1x8 depth remainders
        conv(6, 3, 5, to: 6, p: 1),  // im2col heads-like: depth 54 (54 % 4 == 2), 6 rows
        conv(7, 11, 37, to: 7, s: 2, p: 1, g: 7),  // depthwise stride 2, odd left padding (deinterleaved copy)
        conv(5, 9, 44, to: 5, s: 2, p: 1, g: 5),  // depthwise stride 2 from the input rows, OW 22
        conv(3, 6, 131, to: 3, p: 1, g: 3),  // depthwise stride 1 from the input rows, OW 131
        conv(3, 10, 20, to: 3, s: 2, g: 3),  // depthwise stride 2, no padding, OW 9 with an overlapping block
        conv(4, 5, 7, to: 4, s: 2, p: 1, g: 4),  // depthwise stride 2, OW 4 < 8 (partial stores)
        conv(20, 6, 10, to: 20, p: 1, g: 20),  // depthwise, channels interleaved: 2 blocks and 4 planes
        conv(9, 2, 3, to: 9, p: 1, g: 9),  // depthwise interleaved, planes under 8 pixels
    ]

    static var supportedVariants: [KernelVariant] { KernelVariant.allCases.filter(\.isSupported) }

    @Test(arguments: supportedVariants, geometries.indices)
    func variantMatchesReference(variant: KernelVariant, index: Int) {
        let geometry = Self.geometries[index]
        for (activation, seed) in [(Activation.none, UInt64(500 + index)), (.relu, UInt64(600 + index))] {
            let check = ConvolutionCheck(geometry, activation: activation, variant: variant)
            #expect(check.worstErrorRatio(seed: seed) <= 1)
            #expect(check.worstErrorRatio(seed: seed, parts: 2) <= 1)
            #expect(check.worstErrorRatio(seed: seed, rowParts: 2) <= 1)
        }
    }

}
