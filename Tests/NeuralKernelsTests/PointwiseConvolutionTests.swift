import NeuralKernels
import Testing

@Suite struct PointwiseConvolutionTests {
    static let shapes: [(inputs: Int, outputs: Int, height: Int, width: Int)] = [
        (3, 5, 7, 13), (17, 13, 1, 1), (7, 3, 1, 29), (5, 17, 31, 1), (13, 7, 3, 5), (1, 1, 1, 1),
        (16, 32, 9, 11), (2, 6, 5, 7), (8, 9, 4, 6), (32, 64, 3, 8),
    ]

    @Test(arguments: shapes.indices)
    func matchesReference(index: Int) {
        let s = Self.shapes[index]
        let geometry = ConvolutionGeometry(
            inputChannels: s.inputs, inputHeight: s.height, inputWidth: s.width, outputChannels: s.outputs,
            kernelHeight: 1, kernelWidth: 1)
        #expect(
            Convolution2D(
                geometry: geometry, weights: .init(repeating: 0, count: geometry.weightCount), bias: nil,
                activation: .none
            ).strategy == .pointwise)
        for (activation, hasBias) in [(Activation.none, true), (.relu, true), (.relu, false), (.none, false)] {
            let check = ConvolutionCheck(geometry, activation: activation, hasBias: hasBias)
            #expect(check.worstErrorRatio(seed: UInt64(index)) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(index), parts: 3) <= 1)
            #expect(check.worstErrorRatio(seed: UInt64(index), rowParts: 3) <= 1)
        }
    }

    @Test(arguments: [
        (16, 32, 120, 160), (32, 32, 60, 80), (32, 64, 30, 40), (64, 64, 30, 40), (64, 8, 30, 40),
        (48, 64, 30, 40), (64, 6, 30, 40), (64, 12, 30, 40), (64, 128, 15, 20), (128, 128, 15, 20),
        (128, 4, 15, 20), (128, 256, 8, 10), (256, 256, 8, 10), (256, 64, 8, 10), (64, 256, 4, 5),
    ])
    func rfb320LayerMatchesReference(inputs: Int, outputs: Int, height: Int, width: Int) {
        let geometry = ConvolutionGeometry(
            inputChannels: inputs, inputHeight: height, inputWidth: width, outputChannels: outputs,
            kernelHeight: 1, kernelWidth: 1)
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 320) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .none).worstErrorRatio(seed: 321, parts: 2) <= 1)
        #expect(ConvolutionCheck(geometry, activation: .relu).worstErrorRatio(seed: 322, rowParts: 2) <= 1)
    }
}
