import NeuralKernels
import TestSupport
import Testing

/// The 1x1 + 3x3 depthwise pair run in bands against the two reference convolutions one after
/// the other, with band buffers small enough for many bands (down to one output row per band),
/// the rows split into separate parts (as threads run them), both kernel builds.
@Suite struct PointwiseDepthwiseConvolutionTests {
    /// (1x1 input channels, depthwise channels, input height, width, depthwise geometry maker).
    struct Case: Sendable, CustomStringConvertible {
        let inputChannels: Int
        let channels: Int
        let height: Int
        let width: Int
        let stride: (Int, Int)
        let pads: (Int, Int, Int, Int)

        var pointwise: ConvolutionGeometry {
            conv(inputChannels, height, width, to: channels, k: 1)
        }
        var depthwise: ConvolutionGeometry {
            conv(channels, height, width, to: channels, s: stride.0, pads: pads, g: channels, sx: stride.1)
        }
        var description: String { "\(inputChannels)->\(channels) \(height)x\(width) s\(stride) pads\(pads)" }
    }

    static let cases: [Case] = [
        // Stride 2, the last block overlapping (OW 20), an odd number of rows.
        Case(inputChannels: 5, channels: 6, height: 37, width: 40, stride: (2, 2), pads: (1, 1, 1, 1)),
        // Stride 1 past 128 columns (OW 137), last block reaching the right padding.
        Case(inputChannels: 3, channels: 4, height: 11, width: 137, stride: (1, 1), pads: (1, 1, 1, 1)),
        // Vertical stride 1 with horizontal stride 2: neighbouring bands share two input rows.
        Case(inputChannels: 4, channels: 3, height: 13, width: 36, stride: (1, 2), pads: (1, 1, 1, 1)),
        // Padding on top only: the first band's taps reach two rows above the picture.
        Case(inputChannels: 2, channels: 5, height: 10, width: 34, stride: (2, 2), pads: (2, 1, 0, 0)),
        // Stride 2 past 64 outputs (rows split into odd and even columns, OW 73) with vertical
        // stride 1: a split row is not carried from one output row to the next.
        Case(inputChannels: 3, channels: 2, height: 9, width: 146, stride: (1, 2), pads: (1, 1, 1, 1)),
        // The network's first block, scaled down in channels.
        Case(inputChannels: 3, channels: 4, height: 24, width: 160, stride: (2, 2), pads: (1, 1, 1, 1)),
    ]

    static var variants: [KernelVariant] { KernelVariant.allCases.filter(\.isSupported) }

    @Test(arguments: cases, [256, 4096, 1 << 20])
    func bandsMatchTheTwoConvolutions(testCase: Case, bandBytes: Int) {
        let (p, d) = (testCase.pointwise, testCase.depthwise)
        #expect(PointwiseDepthwiseConvolution2D.accepts(pointwise: p, depthwise: d))
        var rng = SeededGenerator(seed: UInt64(bandBytes + p.inputChannels * 7 + d.inputWidth))
        let input = rng.floats(p.inputCount)
        let (w1, b1) = (rng.floats(p.weightCount), rng.floats(p.outputChannels))
        let (w2, b2) = (rng.floats(d.weightCount), rng.floats(d.outputChannels))
        for (first, second, hasBias) in [(Activation.relu, Activation.relu, true), (.none, .none, false)] {
            let middle = referenceConvolution(
                geometry: p, input: input, weights: w1, bias: hasBias ? b1 : nil, activation: first)
            let expected = referenceConvolution(
                geometry: d, input: middle, weights: w2, bias: hasBias ? b2 : nil, activation: second)
            // The size of the terms, for a tolerance that cancellation cannot make meaningless.
            let scale = referenceConvolution(
                geometry: d,
                input: referenceConvolution(
                    geometry: p, input: input.map(abs), weights: w1.map(abs), bias: hasBias ? b1.map(abs) : nil,
                    activation: .none),
                weights: w2.map(abs), bias: hasBias ? b2.map(abs) : nil, activation: .none)
            for variant in Self.variants {
                let fused = PointwiseDepthwiseConvolution2D(
                    pointwise: p, pointwiseWeights: w1, pointwiseBias: hasBias ? b1 : nil, pointwiseActivation: first,
                    depthwise: d, depthwiseWeights: w2, depthwiseBias: hasBias ? b2 : nil,
                    depthwiseActivation: second, variant: variant, bandBytes: bandBytes)
                if bandBytes == 256 { #expect(fused.bandCount == d.outputHeight) }
                for parts in [1, 3] {
                    let output = run(fused, input: input, parts: parts)
                    let taps = Float(p.inputChannels + 9).squareRoot()
                    let bad = output.indices.first {
                        !(abs(output[$0] - expected[$0]) <= 2e-5 * taps * max(scale[$0], 1e-6))
                    }
                    #expect(
                        bad == nil,
                        "\(testCase) \(variant) bands \(fused.bandCount) parts \(parts): output[\(bad ?? -1)] = \(bad.map { output[$0] } ?? 0), expected \(bad.map { expected[$0] } ?? 0)"
                    )
                }
            }
        }
    }

    /// A 1x1 with padding, a depthwise convolution with stride 3, or shapes that do not chain are
    /// not taken.
    @Test func pairsTheBandKernelCannotRunAreRefused() {
        let p = conv(4, 20, 40, to: 6, k: 1)
        #expect(
            PointwiseDepthwiseConvolution2D.accepts(pointwise: p, depthwise: conv(6, 20, 40, to: 6, s: 2, p: 1, g: 6)))
        #expect(
            !PointwiseDepthwiseConvolution2D.accepts(pointwise: p, depthwise: conv(6, 20, 40, to: 6, s: 3, p: 1, g: 6)))
        #expect(
            !PointwiseDepthwiseConvolution2D.accepts(pointwise: p, depthwise: conv(5, 20, 40, to: 5, s: 2, p: 1, g: 5)))
        #expect(
            !PointwiseDepthwiseConvolution2D.accepts(
                pointwise: conv(4, 20, 40, to: 6, k: 1, p: 1), depthwise: conv(6, 22, 42, to: 6, s: 2, p: 1, g: 6)))
        // Stride 1 on rows of 128 outputs or fewer stays with the padded kernel's row pairs.
        #expect(
            !PointwiseDepthwiseConvolution2D.accepts(
                pointwise: conv(4, 20, 40, to: 6, k: 1), depthwise: conv(6, 20, 40, to: 6, p: 1, g: 6)))
    }

    private func run(_ fused: PointwiseDepthwiseConvolution2D, input: [Float], parts: Int) -> [Float] {
        var output = [Float](repeating: .nan, count: fused.depthwise.outputCount)
        let rows = fused.depthwise.outputHeight
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for part in 0..<parts {
                    // Each part with scratch of its own, filled with NaN: nothing may be read before it is written.
                    var scratch = [Float](repeating: .nan, count: fused.scratchCount)
                    scratch.withUnsafeMutableBufferPointer { s in
                        fused.run(
                            input: x.baseAddress!, output: y.baseAddress!, scratch: s.baseAddress!,
                            outputRows: (rows * part / parts)..<(rows * (part + 1) / parts))
                    }
                }
            }
        }
        return output
    }
}
