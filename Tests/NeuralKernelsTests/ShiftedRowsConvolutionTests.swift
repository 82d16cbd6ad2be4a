import NeuralKernels
import Testing

/// Dense stride-1 convolutions computed on shifted rows of a padded input copy (no im2col
/// buffer); rows under 16 columns as one run over the padded width.
@Suite struct ShiftedRowsConvolutionTests {
    /// At least 5 input channels where the kernel is 3x3 without dilation (fewer go to `stem3x3`).
    static let shapes: [ConvolutionGeometry] = [
        conv(8, 30, 40, to: 16, p: 1),  // RFB branch: 24 + 16 columns, 4 channel blocks
        conv(16, 12, 40, to: 12, d: 5, p: 5),  // dilation 5: most taps in the padding
        conv(5, 9, 17, to: 7, p: 1),  // 16 + overlapping 8 columns; last block of 3 channels
        conv(3, 7, 20, to: 6, d: 2, p: 2),  // 16 + 8 columns; 2 channels in the last block
        conv(5, 6, 53, to: 5, pads: (0, 2, 1, 0)),  // uneven padding, 24 + 24 + overlapping 8
        conv(6, 8, 30, to: 9, k: 5, p: 2),  // 5x5 kernel
        conv(3, 6, 20, to: 4, k: 1, pads: (0, 1, 0, 1), kw: 3),  // 1x3 kernel
        conv(6, 5, 16, to: 1, pads: (2, 0, 0, 0)),  // one output channel, exactly 16 columns
        // Narrow rows: all output rows as one run of columns over the padded width.
        conv(40, 4, 5, to: 6, p: 1),  // heads on 4x5: 26 columns (24 + overlapping 8)
        conv(9, 8, 10, to: 12, p: 1),  // 8x10: 94 columns
        conv(5, 2, 3, to: 5, p: 1),  // exactly 8 columns
        conv(7, 1, 2, to: 3, p: 1),  // 2 columns: one 8-wide block, 6 lanes dropped
        conv(5, 7, 9, to: 7, k: 3, p: 2, kw: 5),  // 3x5 kernel with dilation-free padding
        conv(6, 9, 11, to: 10, d: 2, pads: (2, 1, 0, 3)),  // dilated, uneven padding
    ]

    @Test(arguments: shapes.indices)
    func matchesReference(index: Int) {
        let geometry = Self.shapes[index]
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == .shiftedRows)
        for (activation, hasBias) in [(Activation.none, true), (.relu, true), (.relu, false)] {
            let check = ConvolutionCheck(geometry, activation: activation, hasBias: hasBias)
            #expect(check.worstErrorRatio(seed: UInt64(1000 + index)) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(1100 + index), parts: 3) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(1200 + index), rowParts: 2) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(1300 + index), rowParts: 3) <= 1)
        }
    }

    /// The portable build computes the same.
    @Test(arguments: [
        conv(5, 9, 17, to: 7, p: 1), conv(16, 12, 40, to: 12, d: 3, p: 3), conv(40, 4, 5, to: 6, p: 1),
    ])
    func portableMatchesReference(geometry: ConvolutionGeometry) {
        let check = ConvolutionCheck(geometry, activation: .relu, variant: .portable)
        #expect(check.worstErrorRatio(seed: 1400) <= 1)
        #expect(check.worstErrorRatio(seed: 1401, rowParts: 2) <= 1)
    }
}
