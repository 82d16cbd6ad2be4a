import NeuralEngine
import TestSupport
import Testing

/// Which convolutions `--precision int8` quantises, on a small residual block shaped like
/// UltraFace's: the body (a ReLU convolution, the linear 1x1 and the shortcut before the sum)
/// runs in int8 (the shortcut here a 3x3 convolution); a head read by a transpose and a convolution with fewer than 16 output channels
/// stay float32.
@Suite struct Int8PlacementTests {
    static let xShape = [1, 16, 6, 7]

    /// x -> a (1x1 16->32, ReLU) -> b (1x1 32->16, linear) -> add <- s (3x3 16->16, linear, on x);
    /// add -> ReLU -> narrow (1x1 16->8, ReLU) and head (1x1 16->16) -> transpose (the outputs).
    static func block() -> Graph {
        var constants: [String: Tensor] = [:]
        for (name, outputs, inputs, seed) in [
            ("a", 32, 16, 1), ("b", 16, 32, 2), ("s", 16, 16, 3), ("narrow", 8, 16, 4), ("head", 16, 16, 5),
        ] {
            let side = name == "s" ? 3 : 1
            constants["w" + name] = Tensor(
                shape: [outputs, inputs, side, side],
                floats: TestGraphs.random(outputs * inputs * side * side, seed: UInt64(seed)))
            constants["b" + name] = Tensor(
                shape: [outputs], floats: TestGraphs.random(outputs, seed: UInt64(seed + 10)))
        }
        let conv = Operation.convolution(.init())
        return TestGraphs.graph(
            input: xShape, outputs: ["t", "n"], constants: constants,
            nodes: [
                TestGraphs.node("a", conv, ["x", "wa", "ba"], "a0"),
                TestGraphs.node("a_relu", .relu, ["a0"], "a1"),
                TestGraphs.node("b", conv, ["a1", "wb", "bb"], "b0"),
                TestGraphs.node("s", .convolution(.init(pads: [1, 1, 1, 1])), ["x", "ws", "bs"], "s0"),
                TestGraphs.node("sum", .add, ["b0", "s0"], "sum"),
                TestGraphs.node("sum_relu", .relu, ["sum"], "r"),
                TestGraphs.node("narrow", conv, ["r", "wnarrow", "bnarrow"], "n0"),
                TestGraphs.node("narrow_relu", .relu, ["n0"], "n"),
                TestGraphs.node("head", conv, ["r", "whead", "bhead"], "h"),
                TestGraphs.node("transpose", .transpose(permutation: [0, 2, 3, 1]), ["h"], "t"),
            ])
    }

    @Test func theBodyRunsInInt8AndTheHeadInFloat32() throws {
        try #require(Precision.int8Kernels != nil, "this CPU has no int8 kernels (needs AVX2)")
        let x = TestGraphs.random(Self.xShape.reduce(1, *), seed: 7).map { abs($0) }
        let (float32, expected) = try TestGraphs.run(Self.block(), x)
        let (int8, outputs) = try TestGraphs.run(Self.block(), x, options: .init(precision: .int8))
        #expect(float32.quantizedSteps == 0)
        #expect(int8.quantizedSteps == 3)
        let quantized = int8.stepDescriptions.filter { $0.contains("int8-") }.map { String($0.prefix { $0 != " " }) }
        #expect(quantized == ["a", "b", "s"])
        #expect(int8.stepDescriptions.contains { $0.hasPrefix("s ") && $0.contains("int8-") && $0.contains("k3x3") })
        // The int8 body changes the outputs a little, never much.
        for (found, reference) in zip(outputs, expected) {
            let values = try #require(reference.floats)
            let scale = values.map(abs).max() ?? 1
            #expect(TestGraphs.maxDifference(found.floats, values) <= 0.05 * scale)
            #expect(found.floats != values)
        }
    }

    /// A graph input whose range is known (`CompileOptions.inputRanges`, as for UltraFace's image
    /// of bytes) is quantised over that range by the int8 layers reading it ("a" and "s" here),
    /// with no scan: the same outputs as the scan where the input spans the range, other (and
    /// still close) outputs where it does not, values outside it clamped to its ends, and float32
    /// unchanged.
    @Test func aKnownInputRangeReplacesTheScan() throws {
        try #require(Precision.int8Kernels != nil, "this CPU has no int8 kernels (needs AVX2)")
        let range: ClosedRange<Float> = -127 / 128...1
        let known = CompileOptions(precision: .int8, inputRanges: ["x": range])
        let count = Self.xShape.reduce(1, *)
        // An image of bytes normalised as UltraFace's, with bytes 0 and 255 in it.
        var rng = SeededGenerator(seed: 11)
        var bytes = (0..<count).map { _ in Int.random(in: 0...255, using: &rng) }
        bytes[5] = 0
        bytes[count - 2] = 255
        let image = bytes.map { Float($0 - 127) / 128 }
        let (scanned, expected) = try TestGraphs.run(Self.block(), image, options: .init(precision: .int8))
        let (fixed, outputs) = try TestGraphs.run(Self.block(), image, options: known)
        let sameAsScan = outputs.map(\.floats) == expected.map(\.floats)
        #expect(sameAsScan, "a known range equal to the input's own changed the outputs")
        let marked = fixed.stepDescriptions.filter { $0.contains("fixed input range") }.map {
            String($0.prefix { $0 != " " })
        }
        #expect(marked == ["a", "s"])
        #expect(!scanned.stepDescriptions.contains { $0.contains("fixed input range") })

        // A dim image (bytes 100...150): the scan would find a finer step; the fixed range keeps 1/128.
        let dim = bytes.map { Float(100 + $0 % 51 - 127) / 128 }
        let (_, dimScanned) = try TestGraphs.run(Self.block(), dim, options: .init(precision: .int8))
        let (_, dimFixed) = try TestGraphs.run(Self.block(), dim, options: known)
        let (_, dimFloat) = try TestGraphs.run(Self.block(), dim)
        for (found, reference) in zip(dimFixed, dimFloat) {
            let values = try #require(reference.floats)
            let scale = values.map(abs).max() ?? 1
            #expect(TestGraphs.maxDifference(found.floats, values) <= 0.05 * scale)
        }
        let dimDiffers = dimFixed.map(\.floats) != dimScanned.map(\.floats)
        #expect(dimDiffers, "the dim image was quantised over its own range")

        // Outside the range: clamped to its ends, as if the input had been.
        var wild = image
        wild[7] = 3
        wild[9] = -2
        var clamped = wild
        clamped[7] = range.upperBound
        clamped[9] = range.lowerBound
        let (_, wildOutputs) = try TestGraphs.run(Self.block(), wild, options: known)
        let (_, clampedOutputs) = try TestGraphs.run(Self.block(), clamped, options: known)
        let clampedToo = wildOutputs.map(\.floats) == clampedOutputs.map(\.floats)
        #expect(clampedToo, "values outside the range were not clamped to it")

        // Float32 takes no notice.
        let (plain, floatOutputs) = try TestGraphs.run(Self.block(), image)
        let (_, floatKnown) = try TestGraphs.run(Self.block(), image, options: .init(inputRanges: ["x": range]))
        let floatUnchanged = floatKnown.map(\.floats) == floatOutputs.map(\.floats)
        #expect(floatUnchanged, "float32 changed with a known input range")
        #expect(plain.quantizedSteps == 0)
    }
}
