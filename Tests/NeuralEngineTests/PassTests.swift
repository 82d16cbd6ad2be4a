import Foundation
import NeuralEngine
import Testing

/// The compiler passes on small graphs, checked against the unoptimised arithmetic.
@Suite struct PassTests {
    static let xShape = [1, 3, 6, 5]
    static let wShape = [4, 3, 3, 3]

    /// Conv -> BatchNormalization -> Relu, with the BN parameters as constants.
    static func convBatchNormRelu(extraOutputs: [String] = []) -> (Graph, expected: [Float], x: [Float]) {
        let x = TestGraphs.random(xShape.reduce(1, *), seed: 11)
        let w = TestGraphs.random(wShape.reduce(1, *), seed: 12)
        let b = TestGraphs.random(4, seed: 13)
        let gamma = TestGraphs.random(4, seed: 14)
        let beta = TestGraphs.random(4, seed: 15)
        let mean = TestGraphs.random(4, seed: 16)
        let variance = TestGraphs.random(4, seed: 17).map { abs($0) + 0.1 }
        let epsilon: Float = 1e-5
        let conv = TestGraphs.convolution(x, xShape, w, wShape, b, pad: 1)
        let plane = conv.shape[2] * conv.shape[3]
        let expected = conv.values.indices.map { i -> Float in
            let c = i / plane
            let normalized = (conv.values[i] - mean[c]) / (variance[c] + epsilon).squareRoot() * gamma[c] + beta[c]
            return max(0, normalized)
        }
        let graph = TestGraphs.graph(
            input: xShape, outputs: ["y"] + extraOutputs,
            constants: [
                "w": Tensor(shape: wShape, floats: w), "b": Tensor(shape: [4], floats: b),
                "gamma": Tensor(shape: [4], floats: gamma), "beta": Tensor(shape: [4], floats: beta),
                "mean": Tensor(shape: [4], floats: mean), "var": Tensor(shape: [4], floats: variance),
            ],
            nodes: [
                TestGraphs.node("conv", .convolution(.init(pads: [1, 1, 1, 1])), ["x", "w", "b"], "c"),
                TestGraphs.node(
                    "bn", .batchNormalization(epsilon: epsilon), ["c", "gamma", "beta", "mean", "var"], "n"),
                TestGraphs.node("relu", .relu, ["n"], "y"),
            ])
        return (graph, expected, x)
    }

    @Test func batchNormIsFoldedAndReluFused() throws {
        let (graph, expected, x) = Self.convBatchNormRelu()
        let (model, outputs) = try TestGraphs.run(graph, x)
        #expect(model.summary.batchNormsFolded == 1)
        #expect(model.summary.relusFused == 1)
        #expect(model.summary.stepsAfter == 1)
        #expect(TestGraphs.maxDifference(outputs[0].floats, expected) <= 1e-5)
    }

    @Test func nothingIsFusedWhenIntermediateValuesAreOutputs() throws {
        let (graph, expected, x) = Self.convBatchNormRelu(extraOutputs: ["c", "n"])
        let (model, outputs) = try TestGraphs.run(graph, x)
        #expect(model.summary.batchNormsFolded == 0)
        #expect(model.summary.relusFused == 0)
        #expect(model.summary.stepsAfter == 3)
        #expect(TestGraphs.maxDifference(outputs[0].floats, expected) <= 1e-5)
        let conv = TestGraphs.convolution(
            x, Self.xShape, try #require(graph.constants["w"]?.floats), Self.wShape,
            graph.constants["b"]?.floats, pad: 1)
        #expect(TestGraphs.maxDifference(outputs[1].floats, conv.values) <= 1e-5)
    }

    /// BatchNormalization directly on the input cannot fold: it runs as its own layer.
    @Test func unfoldedBatchNormalization() throws {
        let x = TestGraphs.random(2 * 3 * 4, seed: 21)
        let gamma: [Float] = [1, 2, -0.5]
        let beta: [Float] = [0, 0.5, 1]
        let mean: [Float] = [0.1, -0.2, 0.3]
        let variance: [Float] = [1, 0.5, 2]
        let graph = TestGraphs.graph(
            input: [2, 3, 4], outputs: ["y"],
            constants: [
                "g": Tensor(shape: [3], floats: gamma), "b": Tensor(shape: [3], floats: beta),
                "m": Tensor(shape: [3], floats: mean), "v": Tensor(shape: [3], floats: variance),
            ],
            nodes: [TestGraphs.node("bn", .batchNormalization(epsilon: 1e-3), ["x", "g", "b", "m", "v"], "y")])
        let (model, outputs) = try TestGraphs.run(graph, x)
        #expect(model.summary.batchNormsFolded == 0)
        let expected = x.indices.map { i -> Float in
            let c = (i / 4) % 3
            return (x[i] - mean[c]) / (variance[c] + 1e-3).squareRoot() * gamma[c] + beta[c]
        }
        #expect(TestGraphs.maxDifference(outputs[0].floats, expected) <= 1e-5)
    }

    /// The PyTorch export pattern: Shape -> Gather -> Unsqueeze -> Concat builds a Reshape target.
    @Test func constantFoldingRemovesShapePlumbing() throws {
        let graph = TestGraphs.graph(
            input: [1, 4, 2, 3], outputs: ["y"],
            nodes: [
                TestGraphs.node("t", .transpose(permutation: [0, 2, 3, 1]), ["x"], "t"),
                TestGraphs.node("zero", .constant(Tensor(shape: [], int64s: [0])), [], "zero"),
                TestGraphs.node("shape", .shape, ["t"], "s"),
                TestGraphs.node("gather", .gather(axis: 0), ["s", "zero"], "batch"),
                TestGraphs.node("minus1", .constant(Tensor(shape: [], int64s: [-1])), [], "m1"),
                TestGraphs.node("two", .constant(Tensor(shape: [], int64s: [2])), [], "two"),
                TestGraphs.node("u0", .unsqueeze(axes: [0]), ["batch"], "u0"),
                TestGraphs.node("u1", .unsqueeze(axes: [0]), ["m1"], "u1"),
                TestGraphs.node("u2", .unsqueeze(axes: [0]), ["two"], "u2"),
                TestGraphs.node("cat", .concat(axis: 0), ["u0", "u1", "u2"], "target"),
                TestGraphs.node("reshape", .reshape, ["t", "target"], "y"),
            ])
        let x = (0..<24).map(Float.init)
        let (model, outputs) = try TestGraphs.run(graph, x)
        #expect(model.summary.constantsFolded == 9)
        #expect(model.summary.reshapesAliased == 1)
        #expect(model.summary.stepsAfter == 1)
        #expect(model.outputs[0].shape == [1, 12, 2])
        // NCHW [1,4,2,3] -> NHWC, then viewed as [1, 12, 2].
        let expected = (0..<24).map { i -> Float in
            let (h, w, c) = (i / 12, (i / 4) % 3, i % 4)
            return Float(c * 6 + h * 3 + w)
        }
        #expect(outputs[0].floats == expected)
    }

    @Test func deadNodesAreRemovedAndArenaIsReused() throws {
        let graph = TestGraphs.graph(
            input: [1, 1000], outputs: ["d"],
            nodes: [
                TestGraphs.node("a", .exp, ["x"], "a"),
                TestGraphs.node("b", .relu, ["a"], "b"),
                TestGraphs.node("c", .exp, ["b"], "c"),
                TestGraphs.node("unused", .exp, ["x"], "unused"),
                TestGraphs.node("d", .relu, ["c"], "d"),
            ])
        let x = TestGraphs.random(1000, seed: 31)
        let (model, outputs) = try TestGraphs.run(graph, x)
        #expect(model.summary.deadNodesRemoved == 1)
        #expect(model.summary.stepsAfter == 4)
        // Five values of 4000 bytes, but at most two are live at once.
        #expect(model.summary.arenaBytes <= 2 * 4032)
        #expect(model.summary.unplannedBytes >= 5 * 4000)
        // The engine's exp is within 2 ulp of libm's; e^(e^x) <= e^e < 16 here, so 4 ulp of 16.
        #expect(
            TestGraphs.maxDifference(outputs[0].floats, x.map { Foundation.exp(max(0, Foundation.exp($0))) })
                <= 4 * 16 * Float.ulpOfOne)
    }
}
