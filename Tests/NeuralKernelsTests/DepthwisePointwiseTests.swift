import NeuralKernels
import TestSupport
import Testing

@Suite struct DepthwisePointwiseTests {
    /// Depthwise geometries (stride 1 and 2, odd sizes and padding) and the pointwise output
    /// channels fused after each.
    static let pairs: [(ConvolutionGeometry, Int)] = [
        (conv(16, 120, 160, to: 16, p: 1, g: 16), 32), (conv(32, 120, 160, to: 32, s: 2, p: 1, g: 32), 32),
        (conv(7, 9, 13, to: 7, p: 1, g: 7), 5), (conv(5, 23, 37, to: 5, s: 2, p: 1, g: 5), 9),
        (conv(3, 17, 19, to: 3, s: 2, pads: (2, 0, 1, 2), g: 3), 13), (conv(9, 1, 3, to: 9, p: 1, g: 9), 2),
        (conv(6, 40, 11, to: 6, s: 3, p: 1, g: 6, sx: 1), 7), (conv(64, 30, 40, to: 64, p: 1, g: 64), 12),
    ]

    @Test(arguments: KernelVariant.allCases.filter(\.isSupported), pairs.indices)
    func matchesTwoReferenceConvolutions(variant: KernelVariant, index: Int) {
        let (d, outputs) = Self.pairs[index]
        let p = conv(d.outputChannels, d.outputHeight, d.outputWidth, to: outputs, k: 1)
        #expect(DepthwisePointwise2D.accepts(depthwise: d, pointwise: p))
        var rng = SeededGenerator(seed: UInt64(1000 + index))
        let input = rng.floats(d.inputCount)
        let dw = rng.floats(d.weightCount)
        let db = rng.floats(d.outputChannels)
        let pw = rng.floats(p.weightCount)
        let pb = index % 2 == 0 ? rng.floats(p.outputChannels) : nil
        let middle = referenceConvolution(geometry: d, input: input, weights: dw, bias: db, activation: .relu)
        let expected = referenceConvolution(geometry: p, input: middle, weights: pw, bias: pb, activation: .relu)
        // The size of the terms, for a tolerance that cancellation cannot make meaningless.
        let middleScale = referenceConvolution(
            geometry: d, input: input.map(abs), weights: dw.map(abs), bias: db.map(abs), activation: .none)
        let scale = referenceConvolution(
            geometry: p, input: middleScale, weights: pw.map(abs), bias: pb?.map(abs), activation: .none)
        let pair = DepthwisePointwise2D(
            depthwise: d, depthwiseWeights: dw, depthwiseBias: db, depthwiseActivation: .relu, pointwise: p,
            pointwiseWeights: pw, pointwiseBias: pb, pointwiseActivation: .relu, variant: variant)
        for parts in [1, 3] {
            var output = [Float](repeating: .nan, count: p.outputCount)
            var scratch = [Float](repeating: .nan, count: pair.scratchCount)
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    scratch.withUnsafeMutableBufferPointer { s in
                        for rows in pair.outputRowPartition(parts: parts) {
                            pair.run(
                                input: x.baseAddress!, output: y.baseAddress!, scratch: s.baseAddress!, outputRows: rows
                            )
                        }
                    }
                }
            }
            let tolerance = 1e-5 * Float(9 + d.outputChannels).squareRoot()
            let bad = output.indices.first { !(abs(output[$0] - expected[$0]) <= tolerance * max(scale[$0], 1e-6)) }
            #expect(
                bad == nil,
                "\(d) -> \(outputs) parts \(parts): output[\(bad ?? 0)] = \(output[bad ?? 0]), expected \(expected[bad ?? 0])"
            )
        }
    }

    /// A grouped or strided 1x1, or a depthwise 5x5, is not fused.
    @Test func rejectsOtherPairs() {
        let d = conv(8, 10, 12, to: 8, p: 1, g: 8)
        #expect(!DepthwisePointwise2D.accepts(depthwise: d, pointwise: conv(8, 10, 12, to: 8, k: 1, g: 2)))
        #expect(!DepthwisePointwise2D.accepts(depthwise: d, pointwise: conv(8, 10, 12, to: 8, k: 1, s: 2)))
        #expect(!DepthwisePointwise2D.accepts(depthwise: d, pointwise: conv(8, 9, 12, to: 8, k: 1)))
        let wide = conv(8, 10, 12, to: 8, k: 5, p: 2, g: 8)
        #expect(!DepthwisePointwise2D.accepts(depthwise: wide, pointwise: conv(8, 10, 12, to: 8, k: 1)))
    }
}
