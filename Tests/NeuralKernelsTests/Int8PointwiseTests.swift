import NeuralKernels
import TestSupport
import Testing

/// The int8 1x1 convolution against the naive integer reference: inputs and weights are whole
/// numbers in -127...127 with a 127 in every weight row and in the input, so both scales are
/// exactly 1 and every output must equal the reference sum exactly (|sum| < 2^24).
@Suite struct Int8PointwiseTests {
    static let variants = Int8KernelVariant.allCases.filter(\.isSupported)

    /// Odd shapes: odd input channels (a half pair), output channels not a multiple of 4,
    /// pixels not a multiple of 16 and fewer than 16.
    static let shapes: [(inputs: Int, outputs: Int, pixels: Int)] = [
        (1, 1, 1), (3, 5, 7), (7, 6, 33), (16, 8, 16), (17, 13, 150), (64, 64, 600), (129, 9, 47),
    ]

    @Test(arguments: shapes)
    func integerSumsAreExact(shape: (inputs: Int, outputs: Int, pixels: Int)) throws {
        try #require(!Self.variants.isEmpty, "no int8 kernel build runs on this CPU")
        var rng = SeededGenerator(seed: UInt64(shape.inputs * 1_000_003 + shape.outputs * 1009 + shape.pixels))
        var weights = (0..<(shape.inputs * shape.outputs)).map { _ in Int8.random(in: -127...127, using: &rng) }
        var input = (0..<(shape.inputs * shape.pixels)).map { _ in Int8.random(in: -127...127, using: &rng) }
        for o in 0..<shape.outputs { weights[o * shape.inputs + o % shape.inputs] = o % 2 == 0 ? 127 : -127 }
        input[input.count / 2] = -127
        let expected = referenceInt8PointwiseSums(
            weights: weights, input: input, inputChannels: shape.inputs, outputChannels: shape.outputs,
            pixels: shape.pixels)
        for variant in Self.variants {
            for relu in [false, true] {
                let kernel = Int8PointwiseConvolution(
                    inputChannels: shape.inputs, outputChannels: shape.outputs, pixels: shape.pixels,
                    weights: weights.map(Float.init), bias: nil, relu: relu, variant: variant)
                for parts in [1, 3] {
                    let output = run(kernel, input: input.map(Float.init), outputs: shape.outputs, parts: parts)
                    let want = expected.map { relu ? Float(max(0, $0)) : Float($0) }
                    let wrong = zip(output, want).filter { $0 != $1 }.count
                    #expect(wrong == 0, "\(variant) relu \(relu) parts \(parts): \(wrong) of \(want.count) differ")
                }
            }
        }
    }

    /// Bias is added after scaling, and the input's scale follows its largest magnitude: the
    /// input doubled gives the same integers at twice the scale, so twice the output (minus bias).
    @Test func scalesAndBias() throws {
        let variant = try #require(Self.variants.first)
        let (inputs, outputs, pixels) = (5, 3, 20)
        var rng = SeededGenerator(seed: 15)
        var weights = (0..<(inputs * outputs)).map { _ in Float(Int8.random(in: -127...127, using: &rng)) }
        for o in 0..<outputs { weights[o * inputs] = 127 }
        var input = (0..<(inputs * pixels)).map { _ in Float(Int8.random(in: -127...127, using: &rng)) }
        input[3] = 127
        let bias: [Float] = [0.5, -2, 8]
        let kernel = Int8PointwiseConvolution(
            inputChannels: inputs, outputChannels: outputs, pixels: pixels, weights: weights, bias: bias, relu: false,
            variant: variant)
        let once = run(kernel, input: input, outputs: outputs, parts: 1)
        let twice = run(kernel, input: input.map { $0 * 2 }, outputs: outputs, parts: 1)
        for o in 0..<outputs {
            for p in 0..<pixels {
                var sum: Float = 0
                for i in 0..<inputs { sum += weights[o * inputs + i] * input[i * pixels + p] }
                #expect(once[o * pixels + p] == sum + bias[o])
                #expect(twice[o * pixels + p] == 2 * sum + bias[o])
            }
        }
    }

    /// Quantises and runs the kernel, over `parts` disjoint block ranges when asked.
    private func run(_ kernel: Int8PointwiseConvolution, input: [Float], outputs: Int, parts: Int) -> [Float] {
        var quantized = [Int16](repeating: 0x5555, count: kernel.quantizedCount)
        var output = [Float](repeating: .nan, count: outputs * kernel.pixels)
        let scale = input.withUnsafeBufferPointer { source in
            quantized.withUnsafeMutableBufferPointer {
                kernel.quantize(input: source.baseAddress!, quantized: $0.baseAddress!)
            }
        }
        let blocks = kernel.blockCount
        let count = min(parts, blocks)
        quantized.withUnsafeBufferPointer { q in
            output.withUnsafeMutableBufferPointer { out in
                for part in 0..<count {
                    kernel.run(
                        quantized: q.baseAddress!, scale: scale, output: out.baseAddress!,
                        blocks: blocks * part / count..<blocks * (part + 1) / count)
                }
            }
        }
        return output
    }
}
