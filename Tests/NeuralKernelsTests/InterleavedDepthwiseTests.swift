import NeuralKernels
import TestSupport
import Testing

/// Depthwise 3x3 on small maps, where eight channels share the vector lanes.
@Suite struct InterleavedDepthwiseTests {
    static let shapes: [ConvolutionGeometry] = [
        conv(8, 1, 1, to: 8, p: 1, g: 8),  // one pixel: every tap but the centre is padding
        conv(16, 2, 3, to: 16, p: 1, g: 16),  // planes under 8 pixels
        conv(19, 5, 7, to: 19, p: 1, g: 19),  // 35 pixels: overlapping last block; 3 channels plane by plane
        conv(24, 8, 10, to: 24, s: 2, p: 1, g: 24),  // stride 2, OH x OW = 4 x 5
        conv(16, 8, 10, to: 16, s: 2, g: 16),  // stride 2 without padding: unread last row and column
        conv(12, 9, 13, to: 12, pads: (0, 2, 1, 0), g: 12),  // uneven padding
        conv(16, 11, 17, to: 16, s: 3, p: 1, g: 16, sx: 1),  // vertical stride 3
        conv(16, 7, 15, to: 16, s: 1, pads: (1, 1, 1, 1), g: 16, sx: 2),  // horizontal stride 2 only
        conv(32, 15, 20, to: 32, p: 1, g: 32), conv(32, 15, 20, to: 32, s: 2, p: 1, g: 32),
    ]

    @Test(arguments: shapes.indices)
    func smallMapsMatchReference(index: Int) {
        let geometry = Self.shapes[index]
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == .interleavedDepthwise3x3)
        for (activation, hasBias) in [(Activation.none, true), (.relu, true), (.relu, false)] {
            let check = ConvolutionCheck(geometry, activation: activation, hasBias: hasBias)
            #expect(check.worstErrorRatio(seed: UInt64(700 + index)) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(800 + index), parts: 2) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(900 + index), parts: 3) <= 1)
        }
    }

    /// Channel ranges that start off a block boundary: every channel is written and matches the
    /// whole run (up to rounding: a channel may run on the other path than in the whole run).
    @Test func unalignedChannelRangesMatchWholeRun() {
        let g = conv(29, 6, 9, to: 29, p: 1, g: 29)
        var rng = SeededGenerator(seed: 41)
        let input = rng.floats(g.inputCount)
        let convolution = Convolution2D(
            geometry: g, weights: rng.floats(g.weightCount), bias: rng.floats(g.outputChannels), activation: .relu)
        #expect(convolution.outputChannelAlignment == 8)
        var whole = [Float](repeating: .nan, count: g.outputCount)
        var parts = [Float](repeating: .nan, count: g.outputCount)
        var scratch = [Float](repeating: .nan, count: convolution.scratchCount)
        input.withUnsafeBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { s in
                whole.withUnsafeMutableBufferPointer { y in
                    convolution.run(input: x.baseAddress!, output: y.baseAddress!, scratch: s.baseAddress!)
                }
                parts.withUnsafeMutableBufferPointer { y in
                    for range in [3..<14, 0..<3, 14..<29] {
                        convolution.run(
                            input: x.baseAddress!, output: y.baseAddress!, scratch: s.baseAddress!,
                            outputChannels: range)
                    }
                }
            }
        }
        #expect(!whole.contains { $0.isNaN })
        #expect(zip(parts, whole).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    }
}
