import NeuralKernels
import Testing

@Suite struct DepthwiseConvolutionTests {
    static let odd: [ConvolutionGeometry] = [
        conv(1, 9, 13, to: 1, p: 1, g: 1), conv(7, 9, 13, to: 7, p: 1, g: 7), conv(7, 11, 23, to: 7, s: 2, p: 1, g: 7),
        conv(3, 1, 1, to: 3, p: 1, g: 3), conv(5, 1, 37, to: 5, p: 1, g: 5), conv(5, 29, 1, to: 5, p: 1, g: 5),
        conv(3, 17, 19, to: 3, s: 2, p: 1, g: 3), conv(3, 16, 18, to: 3, s: 2, p: 1, g: 3),
        conv(7, 12, 31, to: 7, pads: (0, 1, 2, 0), g: 7), conv(5, 13, 40, to: 5, s: 2, pads: (2, 0, 1, 2), g: 5),
        conv(3, 10, 27, to: 3, g: 3), conv(1, 8, 9, to: 1, s: 2, g: 1),
        conv(13, 14, 33, to: 13, s: 3, p: 1, g: 13, sx: 1),
        conv(17, 9, 41, to: 17, s: 1, p: 1, g: 17, sx: 2), conv(3, 5, 8, to: 3, s: 2, p: 1, g: 3),
        conv(3, 7, 151, to: 3, s: 2, pads: (1, 0, 0, 2), g: 3),  // wide stride-2 rows, odd left padding
        conv(2, 6, 10, to: 2, p: 1, g: 2), conv(3, 7, 9, to: 3, p: 1, g: 3),
        // Row pairs (stride 1, 8 <= OW <= 128): 64 columns and an odd last row, exactly 8 columns.
        conv(3, 5, 64, to: 3, p: 1, g: 3), conv(4, 4, 8, to: 4, p: 1, g: 4),
        // Read from the input planes directly (left padding 1; stride 2, or stride 1 past 128
        // columns): stride 2 with the last block overlapping (OW 20), with vertical stride 1, with
        // padding on top only (OW 17); stride 1 whose last block reaches the right padding
        // (OW 137), one without right padding, and one with vertical stride 2.
        conv(3, 9, 40, to: 3, s: 2, p: 1, g: 3), conv(5, 7, 36, to: 5, s: 1, p: 1, g: 5, sx: 2),
        conv(4, 8, 34, to: 4, s: 2, pads: (2, 1, 0, 0), g: 4), conv(3, 5, 137, to: 3, p: 1, g: 3),
        conv(2, 4, 150, to: 2, pads: (1, 1, 1, 0), g: 2), conv(3, 9, 140, to: 3, s: 2, p: 1, g: 3, sx: 1),
        // Stride 2 past 64 outputs, through rows split into odd and even columns: vertical stride
        // 1 (OW 70), two rows of padding on top and none below (OW 75).
        conv(3, 7, 140, to: 3, s: 1, p: 1, g: 3, sx: 2), conv(2, 9, 150, to: 2, s: 2, pads: (2, 1, 0, 0), g: 2),
    ]

    @Test(arguments: odd.indices)
    func oddShapesMatchReference(index: Int) {
        let geometry = Self.odd[index]
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == .depthwise3x3)
        for (activation, hasBias) in [(Activation.none, true), (.relu, true), (.relu, false)] {
            let check = ConvolutionCheck(geometry, activation: activation, hasBias: hasBias)
            #expect(check.worstErrorRatio(seed: UInt64(300 + index)) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(400 + index), parts: 2) <= 1)
        }
    }

    static let rfb: [ConvolutionGeometry] = [
        conv(16, 120, 160, to: 16, p: 1, g: 16), conv(32, 120, 160, to: 32, s: 2, p: 1, g: 32),
        conv(32, 60, 80, to: 32, p: 1, g: 32), conv(32, 60, 80, to: 32, s: 2, p: 1, g: 32),
        conv(64, 30, 40, to: 64, p: 1, g: 64), conv(64, 30, 40, to: 64, s: 2, p: 1, g: 64),
        conv(128, 15, 20, to: 128, p: 1, g: 128), conv(128, 15, 20, to: 128, s: 2, p: 1, g: 128),
        conv(256, 8, 10, to: 256, p: 1, g: 256), conv(64, 8, 10, to: 64, s: 2, p: 1, g: 64),
    ]

    @Test(arguments: rfb)
    func rfb320LayerMatchesReference(geometry: ConvolutionGeometry) {
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 11) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .none, hasBias: false).worstErrorRatio(seed: 12, parts: 2) <= 1)
    }

    /// Depthwise geometries without a fast path go to the direct loop and still match.
    @Test(arguments: [
        conv(3, 9, 11, to: 3, k: 5, p: 2, g: 3), conv(5, 12, 13, to: 5, d: 2, p: 2, g: 5),
        conv(4, 10, 19, to: 4, s: 3, p: 1, g: 4), conv(7, 6, 7, to: 7, k: 1, p: 1, g: 7),
    ])
    func genericDepthwiseMatchesReference(geometry: ConvolutionGeometry) {
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == .generic)
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 13) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .none).worstErrorRatio(seed: 14, parts: 3) <= 1)
    }

    /// A channel multiplier (groups == C, O == 2C) is grouped, not depthwise.
    @Test func channelMultiplierUsesIm2col() {
        let geometry = conv(5, 9, 10, to: 10, p: 1, g: 5)
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == .im2col)
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 15, parts: 3) <= 1)
    }
}
