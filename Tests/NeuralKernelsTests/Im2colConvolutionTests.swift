import NeuralKernels
import Testing

/// Shorthand for test geometries: square kernel, stride, dilation and symmetric pad unless given.
func conv(
    _ c: Int, _ h: Int, _ w: Int, to o: Int, k: Int = 3, s: Int = 1, d: Int = 1, p: Int = 0,
    pads: (Int, Int, Int, Int)? = nil, g: Int = 1, kw: Int? = nil, sx: Int? = nil, dx: Int? = nil
) -> ConvolutionGeometry {
    let (t, l, b, r) = pads ?? (p, p, p, p)
    return ConvolutionGeometry(
        inputChannels: c, inputHeight: h, inputWidth: w, outputChannels: o, kernelHeight: k, kernelWidth: kw ?? k,
        strideY: s, strideX: sx ?? s, dilationY: d, dilationX: dx ?? d, padTop: t, padLeft: l, padBottom: b,
        padRight: r, groups: g)
}

@Suite struct Im2colConvolutionTests {
    static let odd: [ConvolutionGeometry] = [
        conv(5, 7, 13, to: 5, p: 1), conv(5, 9, 11, to: 7, s: 2, p: 1), conv(7, 1, 1, to: 3, p: 1),
        conv(6, 1, 17, to: 13, p: 1), conv(13, 19, 1, to: 5, p: 1), conv(5, 12, 9, to: 7, d: 2, p: 2),
        conv(7, 11, 14, to: 5, d: 3, p: 3), conv(3, 13, 17, to: 17, d: 5, p: 5), conv(5, 13, 12, to: 3, d: 2),
        conv(5, 9, 10, to: 5, pads: (0, 1, 2, 3)), conv(5, 8, 7, to: 7, pads: (5, 0, 0, 4)),
        conv(5, 6, 5, to: 4, pads: (4, 5, 3, 2)), conv(5, 21, 23, to: 16, s: 2, p: 1),
        conv(6, 20, 22, to: 32, s: 2, p: 1),
        conv(6, 7, 9, to: 9, p: 1, g: 3), conv(4, 11, 8, to: 6, s: 2, p: 1, g: 2), conv(6, 5, 7, to: 6, k: 1, g: 2),
        conv(6, 5, 7, to: 9, k: 1, g: 3), conv(5, 9, 9, to: 7, k: 1, s: 2), conv(3, 4, 6, to: 5, k: 1, p: 1),
        conv(3, 10, 11, to: 5, k: 5, p: 2), conv(5, 7, 9, to: 7, k: 1, p: 0, kw: 3, dx: 2),
        conv(5, 9, 8, to: 5, k: 3, s: 2, p: 1, sx: 1), conv(17, 3, 4, to: 13, p: 1, g: 1),
        conv(2, 5, 6, to: 4, p: 1, g: 2), conv(4, 6, 7, to: 2, s: 3, p: 2, g: 2),
    ]

    /// Strided, grouped and padded 1x1 shapes run on im2col; dense stride-1 ones with one group and
    /// a larger kernel go to the shifted-rows kernel (their im2col path is
    /// `largePaddedInputsStayOnIm2col`).
    @Test(arguments: odd.indices)
    func oddShapesMatchReference(index: Int) {
        let geometry = Self.odd[index]
        let denseStrideOne =
            geometry.strideY == 1 && geometry.strideX == 1 && geometry.groups == 1
            && geometry.kernelHeight * geometry.kernelWidth > 1
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == (denseStrideOne ? .shiftedRows : .im2col))
        for (activation, hasBias) in [(Activation.none, true), (.relu, true), (.relu, false)] {
            let check = ConvolutionCheck(geometry, activation: activation, hasBias: hasBias)
            #expect(check.worstErrorRatio(seed: UInt64(100 + index)) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(200 + index), parts: 3) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(200 + index), rowParts: 3) <= 1)
        }
    }

    /// Dense stride-1 shapes whose padded input is above the shifted-rows kernel's 131 072-float
    /// limit still run on im2col: wide rows (`fillColumns`) and rows under 16 columns (the
    /// padded-plane fill), as RFB-1280's large maps do.
    static let large: [ConvolutionGeometry] = [
        conv(16, 90, 100, to: 8, p: 1), conv(1200, 10, 10, to: 5, p: 1), conv(12, 110, 110, to: 6, d: 2, p: 2),
    ]

    @Test(arguments: large)
    func largePaddedInputsStayOnIm2col(geometry: ConvolutionGeometry) {
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == .im2col)
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 17) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .none).worstErrorRatio(seed: 18, rowParts: 3) <= 1)
    }

    /// The dense convolutions of RFB-320 after the first layer (RFB branches, the 3x3 heads;
    /// the first layers are `StemConvolutionTests`').
    static let rfb: [ConvolutionGeometry] = [
        conv(8, 30, 40, to: 16, p: 1), conv(16, 30, 40, to: 16, d: 2, p: 2), conv(16, 30, 40, to: 16, d: 3, p: 3),
        conv(8, 30, 40, to: 12, p: 1), conv(12, 30, 40, to: 16, p: 1), conv(16, 30, 40, to: 16, d: 5, p: 5),
        conv(256, 4, 5, to: 6, p: 1), conv(256, 4, 5, to: 12, p: 1),
    ]

    @Test(arguments: rfb)
    func rfb320LayerMatchesReference(geometry: ConvolutionGeometry) {
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 7) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .none).worstErrorRatio(seed: 8, parts: 2) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 9, rowParts: 2) <= 1)
    }
}
