import NeuralEngine
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
}
