import NeuralKernels
import TestSupport
import Testing

/// The int8 KxK convolution against the naive integer reference, exactly: whole-number inputs
/// spanning exactly 255 (scale 1; zero point 0 or 100) and a +-127 in every weight row (weight
/// scale 1), on odd shapes: channels not a multiple of 4, rows not a multiple of 16, dilations,
/// strides 1, 2 and 3, asymmetric and no padding, kernels other than 3x3.
@Suite struct Int8SpatialTests {
    static let variants = Int8KernelVariant.allCases.filter(\.isSupported)

    static let geometries: [ConvolutionGeometry] = [
        .init(
            inputChannels: 8, inputHeight: 30, inputWidth: 40, outputChannels: 16, kernelHeight: 3, kernelWidth: 3,
            padTop: 1, padLeft: 1, padBottom: 1, padRight: 1),
        .init(
            inputChannels: 16, inputHeight: 12, inputWidth: 23, outputChannels: 12, kernelHeight: 3, kernelWidth: 3,
            dilationY: 5, dilationX: 5, padTop: 5, padLeft: 5, padBottom: 5, padRight: 5),
        .init(
            inputChannels: 3, inputHeight: 7, inputWidth: 5, outputChannels: 5, kernelHeight: 3, kernelWidth: 3,
            dilationY: 2, dilationX: 2, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2),
        .init(
            inputChannels: 13, inputHeight: 9, inputWidth: 37, outputChannels: 7, kernelHeight: 3, kernelWidth: 3),
        .init(
            inputChannels: 6, inputHeight: 11, inputWidth: 17, outputChannels: 9, kernelHeight: 5, kernelWidth: 3,
            padTop: 2, padLeft: 0, padBottom: 1, padRight: 3),
        .init(inputChannels: 1, inputHeight: 1, inputWidth: 2, outputChannels: 1, kernelHeight: 1, kernelWidth: 2),
        // Strides: the stem's shape (3 channels, stride 2, pad 1) with an odd width, odd padding,
        // a stride of 3 (scalar quantising) and unequal strides.
        .init(
            inputChannels: 3, inputHeight: 24, inputWidth: 37, outputChannels: 16, kernelHeight: 3, kernelWidth: 3,
            strideY: 2, strideX: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1),
        .init(
            inputChannels: 5, inputHeight: 13, inputWidth: 50, outputChannels: 6, kernelHeight: 3, kernelWidth: 3,
            strideY: 2, strideX: 2, dilationY: 2, dilationX: 2, padTop: 0, padLeft: 2, padBottom: 3, padRight: 1),
        .init(
            inputChannels: 4, inputHeight: 10, inputWidth: 33, outputChannels: 4, kernelHeight: 3, kernelWidth: 3,
            strideY: 3, strideX: 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1),
        .init(
            inputChannels: 2, inputHeight: 9, inputWidth: 40, outputChannels: 5, kernelHeight: 2, kernelWidth: 3,
            strideY: 1, strideX: 2, padTop: 1, padLeft: 0, padBottom: 0, padRight: 1),
    ]

    @Test(arguments: geometries, [0, 100])
    func integerSumsAreExact(geometry: ConvolutionGeometry, zeroPoint: Int) throws {
        try #require(!Self.variants.isEmpty, "no int8 kernel build runs on this CPU")
        #expect(Int8SpatialConvolution.supports(geometry))
        var rng = SeededGenerator(seed: UInt64(geometry.inputCount * 31 + geometry.outputChannels * 7 + zeroPoint))
        let perOutput = geometry.inputChannels * geometry.kernelHeight * geometry.kernelWidth
        var weights = (0..<(geometry.outputChannels * perOutput)).map { _ in Int8.random(in: -127...127, using: &rng) }
        for o in 0..<geometry.outputChannels { weights[o * perOutput + o % perOutput] = o % 2 == 0 ? 127 : -127 }
        var quantized = (0..<geometry.inputCount).map { _ in UInt8.random(in: 0...255, using: &rng) }
        quantized[quantized.count - 1] = 255
        quantized[0] = 0
        let expected = referenceInt8ConvolutionSums(
            weights: weights, input: quantized, zeroPoint: zeroPoint, geometry: geometry)
        let input = quantized.map { Float(Int($0) - zeroPoint) }
        for variant in Self.variants {
            for relu in [false, true] {
                let kernel = Int8SpatialConvolution(
                    geometry: geometry, weights: weights.map(Float.init), bias: nil, relu: relu, variant: variant)
                for parts in [1, 3] {
                    let (output, _, quantization) = run(kernel, input: input, parts: parts)
                    #expect(quantization == Int8InputQuantization(scale: 1, zeroPoint: Int32(zeroPoint)))
                    let want = expected.map { relu ? Float(max(0, $0)) : Float($0) }
                    let wrong = zip(output, want).filter { $0 != $1 }.count
                    #expect(wrong == 0, "\(variant) relu \(relu) parts \(parts): \(wrong) of \(want.count) differ")
                }
            }
        }
    }

    /// With output scales each output is the byte `clamp(round(v / scale[o]), 0, 255)` of the float
    /// `v` the kernel writes without them (to within one step at rounding ties, at most one byte in
    /// a thousand).
    @Test(arguments: geometries)
    func byteOutputIsTheRoundedFloatOutput(geometry: ConvolutionGeometry) throws {
        try #require(!Self.variants.isEmpty, "no int8 kernel build runs on this CPU")
        var rng = SeededGenerator(seed: UInt64(geometry.inputCount * 13 + geometry.outputChannels))
        let perOutput = geometry.inputChannels * geometry.kernelHeight * geometry.kernelWidth
        let weights = (0..<(geometry.outputChannels * perOutput)).map { _ in Float.random(in: -1...1, using: &rng) }
        let bias = (0..<geometry.outputChannels).map { _ in Float.random(in: -1...1, using: &rng) }
        let input = (0..<geometry.inputCount).map { _ in Float.random(in: 0...2, using: &rng) }
        let scales = (0..<geometry.outputChannels).map { _ in Float.random(in: 0.002...0.03, using: &rng) }
        let plane = geometry.outputHeight * geometry.outputWidth
        for variant in Self.variants {
            let floats = Int8SpatialConvolution(
                geometry: geometry, weights: weights, bias: bias, relu: true, variant: variant)
            let bytes = Int8SpatialConvolution(
                geometry: geometry, weights: weights, bias: bias, relu: true, variant: variant, outputScales: scales)
            let want = run(floats, input: input, parts: 1).output.enumerated().map { index, v in
                UInt8(min(255, max(0, v * (1 / scales[index / plane]))).rounded(.toNearestOrEven))
            }
            for parts in [1, 3] {
                let got = run(bytes, input: input, parts: parts, elementBytes: 1).bytes
                // The kernel folds 1 / scale into its multiplier and bias, so a value within a
                // rounding error of a half step may round the other way: off by one, rarely.
                let far = zip(got, want).filter { abs(Int($0) - Int($1)) > 1 }.count
                let off = zip(got, want).filter { $0 != $1 }.count
                #expect(far == 0, "\(variant) parts \(parts): \(far) of \(want.count) bytes differ by more than 1")
                #expect(off * 1000 <= want.count, "\(variant) parts \(parts): \(off) of \(want.count) bytes off by 1")
            }
        }
    }

    /// A range known in advance gives the quantisation a run finds for an input whose extremes are
    /// that range's ends (widened to include 0 in both: the two share
    /// `int8Quantization(lowest:highest:)`, so this checks that the scan finds the ends of every
    /// kernel build's input); UltraFace's image range gives one step of exactly 1/128 at zero point
    /// 127, so each input byte comes back unchanged.
    @Test(arguments: [
        Float(-127) / 128...1, 0.5...2, -3...(-1), -0.25...0.75, 0...0, -1e-3...4e-3,
    ])
    func aKnownRangeQuantisesLikeARun(range: ClosedRange<Float>) throws {
        try #require(!Self.variants.isEmpty, "no int8 kernel build runs on this CPU")
        let geometry = Self.geometries[6]
        var rng = SeededGenerator(seed: UInt64(range.upperBound.bitPattern))
        var input = (0..<geometry.inputCount).map { _ in Float.random(in: range, using: &rng) }
        input[3] = range.lowerBound
        input[input.count - 5] = range.upperBound
        let weights = [Float](repeating: 0.5, count: geometry.outputChannels * 27)
        for variant in Self.variants {
            let kernel = Int8SpatialConvolution(
                geometry: geometry, weights: weights, bias: nil, relu: false, variant: variant)
            let found = input.withUnsafeBufferPointer { kernel.quantization(of: $0.baseAddress!) }
            #expect(Int8InputQuantization(range: range) == found, "\(variant) \(range)")
        }
        if range.lowerBound == -127 / 128 {
            #expect(Int8InputQuantization(range: range) == Int8InputQuantization(scale: 1.0 / 128, zeroPoint: 127))
        }
    }

    /// Quantises into a padded image (filled with garbage first: the kernel must overwrite what it
    /// reads) and runs over `parts` disjoint block ranges.
    /// With `elementBytes` 1 the output is read back as bytes (`.bytes`, filled with 0xA5 first).
    private func run(
        _ kernel: Int8SpatialConvolution, input: [Float], parts: Int, elementBytes: Int = 4
    ) -> (output: [Float], bytes: [UInt8], quantization: Int8InputQuantization) {
        var output = [UInt8](
            repeating: elementBytes == 4 ? 0xFF : 0xA5, count: kernel.geometry.outputCount * elementBytes)
        var image = [UInt8](repeating: 0xA5, count: kernel.quantizedBytes)
        let blocks = kernel.blockCount
        let count = min(parts, blocks)
        let quantization = input.withUnsafeBufferPointer { source in
            image.withUnsafeMutableBytes { image in
                let quantization = kernel.quantization(of: source.baseAddress!)
                kernel.quantize(input: source.baseAddress!, quantization: quantization, into: image.baseAddress!)
                return quantization
            }
        }
        image.withUnsafeBytes { image in
            output.withUnsafeMutableBytes { out in
                for part in 0..<count {
                    kernel.run(
                        quantized: image.baseAddress!, quantization: quantization, output: out.baseAddress!,
                        blocks: blocks * part / count..<blocks * (part + 1) / count)
                }
            }
        }
        // 0xFF bytes read as floats are NaN: an output the kernel did not write stays NaN.
        let floats = elementBytes == 4 ? output.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } : []
        return (floats, output, quantization)
    }
}
