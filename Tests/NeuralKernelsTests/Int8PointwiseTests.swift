import NeuralKernels
import TestSupport
import Testing

/// The int8 1x1 convolution against the naive integer reference. Inputs are whole numbers
/// spanning exactly 255 (0...255, or -100...155 for a zero point of 100) and every weight row
/// holds a 127, so both scales are exactly 1 and every output must equal the reference sum
/// exactly (|sum| < 2^24).
@Suite struct Int8PointwiseTests {
    static let variants = Int8KernelVariant.allCases.filter(\.isSupported)

    /// Odd shapes: input channels not a multiple of 4 (a part-filled group), output channels not
    /// a multiple of 4, pixels not a multiple of 16, fewer than 16, and tiles of 1-4 blocks.
    static let shapes: [(inputs: Int, outputs: Int, pixels: Int)] = [
        (1, 1, 1), (3, 5, 7), (7, 6, 33), (16, 8, 16), (17, 13, 150), (64, 64, 600), (129, 9, 47), (6, 3, 112),
    ]

    @Test(arguments: shapes)
    func integerSumsAreExact(shape: (inputs: Int, outputs: Int, pixels: Int)) throws {
        try #require(!Self.variants.isEmpty, "no int8 kernel build runs on this CPU")
        var rng = SeededGenerator(seed: UInt64(shape.inputs * 1_000_003 + shape.outputs * 1009 + shape.pixels))
        let weights = Self.weights(inputs: shape.inputs, outputs: shape.outputs, using: &rng)
        var input = (0..<(shape.inputs * shape.pixels)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        input[input.count / 2] = 255
        let expected = referenceInt8PointwiseSums(
            weights: weights, input: input, zeroPoint: 0, inputChannels: shape.inputs, outputChannels: shape.outputs,
            pixels: shape.pixels)
        try expectExact(shape: shape, weights: weights, input: input.map(Float.init), expected: expected, zeroPoint: 0)
    }

    /// An input with negative values gets a zero point (here 100 for -100...155); the kernel
    /// takes `zeroPoint * sum_i qw` off each sum, exactly. (Shapes with room for both ends of
    /// the range.)
    @Test(arguments: shapes.filter { $0.inputs * $0.pixels > 1 })
    func zeroPointSumsAreExact(shape: (inputs: Int, outputs: Int, pixels: Int)) throws {
        try #require(!Self.variants.isEmpty, "no int8 kernel build runs on this CPU")
        var rng = SeededGenerator(seed: UInt64(shape.inputs * 7919 + shape.outputs * 104_729 + shape.pixels))
        let weights = Self.weights(inputs: shape.inputs, outputs: shape.outputs, using: &rng)
        var quantized = (0..<(shape.inputs * shape.pixels)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        quantized[0] = 0
        quantized[quantized.count - 1] = 255
        let expected = referenceInt8PointwiseSums(
            weights: weights, input: quantized, zeroPoint: 100, inputChannels: shape.inputs,
            outputChannels: shape.outputs, pixels: shape.pixels)
        let input = quantized.map { Float(Int($0) - 100) }
        try expectExact(shape: shape, weights: weights, input: input, expected: expected, zeroPoint: 100)
    }

    /// Inputs that are not whole numbers: each is quantised as documented (`x / scale + zero
    /// point`, clamped to 0...255, rounded to nearest even), whatever tile or tail it falls in.
    @Test func fractionalInputsAreQuantisedAsDocumented() throws {
        let (inputs, outputs, pixels) = (10, 7, 99)
        var rng = SeededGenerator(seed: 99)
        let weights = Self.weights(inputs: inputs, outputs: outputs, using: &rng)
        for lowest: Float in [0, -0.75] {
            let input = (0..<(inputs * pixels)).map { _ in Float.random(in: lowest...2.5, using: &rng) }
            let (top, bottom) = (input.max()!, min(0, input.min()!))
            let scale = (top - bottom) / 255
            let zeroPoint = Int((-bottom / scale).rounded(.toNearestOrEven))
            let multiplier = 1 / scale
            let quantized = input.map { x -> UInt8 in
                UInt8(min(255, max(0, x * multiplier + Float(zeroPoint))).rounded(.toNearestOrEven))
            }
            let sums = referenceInt8PointwiseSums(
                weights: weights, input: quantized, zeroPoint: zeroPoint, inputChannels: inputs,
                outputChannels: outputs, pixels: pixels)
            for variant in Self.variants {
                let kernel = Int8PointwiseConvolution(
                    inputChannels: inputs, outputChannels: outputs, pixels: pixels, weights: weights.map(Float.init),
                    bias: nil, relu: false, variant: variant)
                let (output, quantization) = run(kernel, input: input, parts: 2)
                #expect(quantization == Int8InputQuantization(scale: scale, zeroPoint: Int32(zeroPoint)))
                let want = sums.map { Float($0) * scale }
                let wrong = zip(output, want).filter { $0 != $1 }.count
                #expect(wrong == 0, "\(variant) lowest \(lowest): \(wrong) of \(want.count) differ")
            }
        }
    }

    /// Bias is added after scaling, and the input's scale follows its range: the input doubled
    /// gives the same integers at twice the scale, so twice the output (minus bias).
    @Test func scalesAndBias() throws {
        let variant = try #require(Self.variants.first)
        let (inputs, outputs, pixels) = (5, 3, 20)
        var rng = SeededGenerator(seed: 15)
        var weights = (0..<(inputs * outputs)).map { _ in Float(Int8.random(in: -127...127, using: &rng)) }
        for o in 0..<outputs { weights[o * inputs] = 127 }
        var input = (0..<(inputs * pixels)).map { _ in Float(UInt8.random(in: 0...255, using: &rng)) }
        input[3] = 255
        let bias: [Float] = [0.5, -2, 8]
        let kernel = Int8PointwiseConvolution(
            inputChannels: inputs, outputChannels: outputs, pixels: pixels, weights: weights, bias: bias, relu: false,
            variant: variant)
        let once = run(kernel, input: input, parts: 1).output
        let twice = run(kernel, input: input.map { $0 * 2 }, parts: 1).output
        for o in 0..<outputs {
            for p in 0..<pixels {
                var sum: Float = 0
                for i in 0..<inputs { sum += weights[o * inputs + i] * input[i * pixels + p] }
                #expect(once[o * pixels + p] == sum + bias[o])
                #expect(twice[o * pixels + p] == 2 * sum + bias[o])
            }
        }
    }

    /// An input of zeros has no range: scale 0, and the output is the bias (after the ReLU).
    @Test func zeroInputGivesTheBias() throws {
        let (inputs, outputs, pixels) = (8, 4, 40)
        let weights = (0..<(inputs * outputs)).map { Float($0 % 7) - 3 }
        let bias: [Float] = [1.5, -1, 0, 3]
        for variant in Self.variants {
            let kernel = Int8PointwiseConvolution(
                inputChannels: inputs, outputChannels: outputs, pixels: pixels, weights: weights, bias: bias,
                relu: true, variant: variant)
            let (output, quantization) = run(kernel, input: [Float](repeating: 0, count: inputs * pixels), parts: 1)
            #expect(quantization == Int8InputQuantization(scale: 0, zeroPoint: 0))
            #expect(output == bias.flatMap { [Float](repeating: max(0, $0), count: pixels) })
        }
    }

    /// With output scales the kernel writes each output as the byte `clamp(round(v / scale[o]),
    /// 0, 255)` of the value `v` it writes as a float without them (the byte chain's producer
    /// side; to within one step at rounding ties, at most one byte in a thousand), with scales
    /// that clamp some outputs at 255 and round others.
    @Test(arguments: shapes)
    func byteOutputIsTheRoundedFloatOutput(shape: (inputs: Int, outputs: Int, pixels: Int)) throws {
        try #require(!Self.variants.isEmpty, "no int8 kernel build runs on this CPU")
        var rng = SeededGenerator(seed: UInt64(shape.inputs * 31 + shape.outputs * 7 + shape.pixels))
        let weights = (0..<(shape.inputs * shape.outputs)).map { _ in Float.random(in: -1...1, using: &rng) }
        let bias = (0..<shape.outputs).map { _ in Float.random(in: -2...2, using: &rng) }
        let input = (0..<(shape.inputs * shape.pixels)).map { _ in Float.random(in: 0...3, using: &rng) }
        let scales = (0..<shape.outputs).map { _ in Float.random(in: 0.002...0.05, using: &rng) }
        for variant in Self.variants {
            let floats = Int8PointwiseConvolution(
                inputChannels: shape.inputs, outputChannels: shape.outputs, pixels: shape.pixels, weights: weights,
                bias: bias, relu: true, variant: variant)
            let bytes = Int8PointwiseConvolution(
                inputChannels: shape.inputs, outputChannels: shape.outputs, pixels: shape.pixels, weights: weights,
                bias: bias, relu: true, variant: variant, outputScales: scales)
            #expect(bytes.writesBytes && !floats.writesBytes)
            let want = run(floats, input: input, parts: 1).output.enumerated().map { index, v in
                UInt8(min(255, max(0, v * (1 / scales[index / shape.pixels]))).rounded(.toNearestOrEven))
            }
            for parts in [1, 3] {
                let got = runBytes(bytes, input: input, parts: parts)
                // The kernel folds 1 / scale into its multiplier and bias, so a value within a
                // rounding error of a half step may round the other way: off by one, rarely.
                let far = zip(got, want).filter { abs(Int($0) - Int($1)) > 1 }.count
                let off = zip(got, want).filter { $0 != $1 }.count
                #expect(far == 0, "\(variant) parts \(parts): \(far) of \(want.count) bytes differ by more than 1")
                #expect(off * 1000 <= want.count, "\(variant) parts \(parts): \(off) of \(want.count) bytes off by 1")
            }
            if shape.outputs * shape.pixels >= 500 {
                #expect(want.contains(255) && want.contains { $0 > 0 && $0 < 255 }, "clamped and rounded bytes")
            }
        }
    }

    /// An input of bytes (step s, zero point 0, as the int8 depthwise kernel writes it) gives the
    /// same output as the float input `s * byte`, which the float path quantises back to the same
    /// bytes when the largest byte is 255 (its range is then exactly 255 steps).
    @Test(arguments: shapes)
    func byteInputMatchesTheFloatInput(shape: (inputs: Int, outputs: Int, pixels: Int)) throws {
        try #require(!Self.variants.isEmpty, "no int8 kernel build runs on this CPU")
        var rng = SeededGenerator(seed: UInt64(shape.inputs * 131 + shape.outputs * 17 + shape.pixels))
        let weights = (0..<(shape.inputs * shape.outputs)).map { _ in Float.random(in: -1...1, using: &rng) }
        let bias = (0..<shape.outputs).map { _ in Float.random(in: -1...1, using: &rng) }
        var bytes = (0..<(shape.inputs * shape.pixels)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[bytes.count - 1] = 255
        let step: Float = 0.03125
        for variant in Self.variants {
            let kernel = Int8PointwiseConvolution(
                inputChannels: shape.inputs, outputChannels: shape.outputs, pixels: shape.pixels, weights: weights,
                bias: bias, relu: false, variant: variant)
            let (want, quantization) = run(kernel, input: bytes.map { Float($0) * step }, parts: 1)
            #expect(quantization == Int8InputQuantization(scale: step, zeroPoint: 0))
            for parts in [1, 3] {
                var got = [Float](repeating: .nan, count: want.count)
                bytes.withUnsafeBufferPointer { source in
                    got.withUnsafeMutableBytes { out in
                        Self.forEachPart(kernel, parts: parts) { tile, blocks in
                            kernel.run(
                                inputBytes: source.baseAddress!, step: step, tile: tile, output: out.baseAddress!,
                                blocks: blocks)
                        }
                    }
                }
                let wrong = zip(got, want).filter { $0 != $1 }.count
                #expect(wrong == 0, "\(variant) parts \(parts): \(wrong) of \(want.count) differ")
            }
        }
    }

    /// Random weights in -127...127 with a +-127 in every row (so each row's scale is 1).
    private static func weights(inputs: Int, outputs: Int, using rng: inout SeededGenerator) -> [Int8] {
        var weights = (0..<(inputs * outputs)).map { _ in Int8.random(in: -127...127, using: &rng) }
        for o in 0..<outputs { weights[o * inputs + o % inputs] = o % 2 == 0 ? 127 : -127 }
        return weights
    }

    /// Runs every build with and without ReLU, on one and on three parts, and compares with the
    /// reference sums exactly.
    private func expectExact(
        shape: (inputs: Int, outputs: Int, pixels: Int), weights: [Int8], input: [Float], expected: [Int64],
        zeroPoint: Int32
    ) throws {
        for variant in Self.variants {
            for relu in [false, true] {
                let kernel = Int8PointwiseConvolution(
                    inputChannels: shape.inputs, outputChannels: shape.outputs, pixels: shape.pixels,
                    weights: weights.map(Float.init), bias: nil, relu: relu, variant: variant)
                for parts in [1, 3] {
                    let (output, quantization) = run(kernel, input: input, parts: parts)
                    #expect(quantization == Int8InputQuantization(scale: 1, zeroPoint: zeroPoint))
                    let want = expected.map { relu ? Float(max(0, $0)) : Float($0) }
                    let wrong = zip(output, want).filter { $0 != $1 }.count
                    #expect(wrong == 0, "\(variant) relu \(relu) parts \(parts): \(wrong) of \(want.count) differ")
                }
            }
        }
    }

    /// Finds the quantisation and runs the kernel over `parts` disjoint block ranges, each with its
    /// own tile (filled with garbage first: the kernel must overwrite what it reads).
    private func run(
        _ kernel: Int8PointwiseConvolution, input: [Float], parts: Int
    ) -> (output: [Float], quantization: Int8InputQuantization) {
        var output = [Float](repeating: .nan, count: kernel.outputChannels * kernel.pixels)
        let quantization = input.withUnsafeBufferPointer { kernel.quantization(of: $0.baseAddress!) }
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBytes { out in
                Self.forEachPart(kernel, parts: parts) { tile, blocks in
                    kernel.run(
                        input: source.baseAddress!, quantization: quantization, tile: tile, output: out.baseAddress!,
                        blocks: blocks)
                }
            }
        }
        return (output, quantization)
    }

    /// `run` for a kernel that writes bytes (the output filled with 0xA5 first).
    private func runBytes(_ kernel: Int8PointwiseConvolution, input: [Float], parts: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0xA5, count: kernel.outputChannels * kernel.pixels)
        let quantization = input.withUnsafeBufferPointer { kernel.quantization(of: $0.baseAddress!) }
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBytes { out in
                Self.forEachPart(kernel, parts: parts) { tile, blocks in
                    kernel.run(
                        input: source.baseAddress!, quantization: quantization, tile: tile, output: out.baseAddress!,
                        blocks: blocks)
                }
            }
        }
        return output
    }

    /// Calls `body` for each of `parts` disjoint block ranges with a tile of its own (the tiles
    /// filled with garbage first; valid for the call).
    private static func forEachPart(
        _ kernel: Int8PointwiseConvolution, parts: Int, _ body: (UnsafeMutableRawPointer, Range<Int>) -> Void
    ) {
        let blocks = kernel.blockCount
        let count = min(parts, blocks)
        var tiles = [UInt8](repeating: 0xA5, count: kernel.tileBytes * count)
        tiles.withUnsafeMutableBytes { tiles in
            for part in 0..<count {
                body(tiles.baseAddress! + part * kernel.tileBytes, blocks * part / count..<blocks * (part + 1) / count)
            }
        }
    }
}
