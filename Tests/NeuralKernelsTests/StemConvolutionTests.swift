import NeuralKernels
import Testing

@Suite struct StemConvolutionTests {
    /// Odd shapes: OW below 8, between 8 and 24, above 24 and not a multiple of it; output
    /// channels not a multiple of 4; 1 to 4 input channels; asymmetric and large padding
    /// (whole padded rows and columns); vertical stride 1 to 3 with horizontal stride 1 or 2.
    static let odd: [ConvolutionGeometry] = [
        conv(3, 7, 13, to: 5, p: 1), conv(3, 1, 17, to: 13, p: 1), conv(3, 9, 10, to: 5, pads: (0, 1, 2, 3)),
        conv(3, 6, 5, to: 4, pads: (4, 5, 3, 2)), conv(3, 21, 23, to: 16, s: 2, p: 1),
        conv(3, 20, 22, to: 32, s: 2, p: 1), conv(3, 9, 8, to: 5, k: 3, s: 2, p: 1, sx: 1),
        conv(1, 5, 3, to: 2), conv(2, 11, 61, to: 7, s: 2, p: 1), conv(4, 13, 59, to: 9, p: 1),
        conv(3, 17, 101, to: 6, s: 3, pads: (2, 3, 1, 0), sx: 2), conv(3, 8, 49, to: 3, s: 2, pads: (0, 0, 1, 1)),
        conv(4, 3, 3, to: 2, s: 2, p: 2), conv(3, 10, 50, to: 11, pads: (1, 2, 0, 1)),
    ]

    @Test(arguments: odd.indices)
    func oddShapesMatchReference(index: Int) {
        let geometry = Self.odd[index]
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == .stem3x3)
        for (activation, hasBias) in [(Activation.none, true), (.relu, true), (.relu, false)] {
            let check = ConvolutionCheck(geometry, activation: activation, hasBias: hasBias)
            #expect(check.worstErrorRatio(seed: UInt64(700 + index)) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(800 + index), parts: 3) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(900 + index), rowParts: 3) <= 1)
        }
    }

    /// The first layers of the UltraFace models (320 and 640 inputs, 16 or 32 channels).
    static let firstLayers: [ConvolutionGeometry] = [
        conv(3, 240, 320, to: 16, s: 2, p: 1), conv(3, 480, 640, to: 16, s: 2, p: 1),
        conv(3, 240, 320, to: 32, s: 2, p: 1),
    ]

    @Test(arguments: firstLayers)
    func firstLayerMatchesReference(geometry: ConvolutionGeometry) {
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 7) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .none).worstErrorRatio(seed: 8, parts: 2) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 9, rowParts: 2) <= 1)
    }

    /// Five input channels, or a dilated or grouped 3x3, stay off the stem kernel (dense stride-1
    /// ones go to shifted rows, grouped ones to im2col).
    @Test(arguments: [
        conv(5, 9, 10, to: 4, p: 1), conv(3, 9, 10, to: 4, d: 2, p: 2), conv(4, 9, 10, to: 4, p: 1, g: 2),
    ])
    func otherGeometriesAreNotStem(geometry: ConvolutionGeometry) {
        let strategy = Convolution2D(
            geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
            activation: .none
        ).strategy
        #expect(strategy == (geometry.groups == 1 ? .shiftedRows : .im2col))
    }
}
