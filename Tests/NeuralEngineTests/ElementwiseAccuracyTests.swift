import Foundation
import NeuralEngine
import Testing

/// The Exp layer's vector exponential against the double-precision one, and the 8-byte fast
/// path of Concat against plain index arithmetic (Slice's is in OperatorTests).
struct ElementwiseAccuracyTests {
    /// Relative error of `value` against `e^x` in double precision, in units of float epsilon.
    static func ulps(_ value: Float, _ x: Float) -> Double {
        let exact = Foundation.exp(Double(x))
        return abs(Double(value) - exact) / exact / Double(Float.ulpOfOne)
    }

    @Test func expIsWithinTwoUlpsOverTheWholeRange() throws {
        // 200_003 evenly spaced inputs from -87 to 88 (not a multiple of 8: the tail path runs too),
        // plus the places where the range reduction switches n.
        var inputs = (0..<200_003).map { Float(-87 + 175 * Double($0) / 200_002) }
        for n in -125...126 {
            let edge = Float(Double(n) + 0.5) * Float(M_LN2)
            inputs += [edge.nextDown, edge, edge.nextUp]
        }
        inputs += [0, -0.0, 1, -1, Float.leastNormalMagnitude, 1e-30, -1e-30]
        let graph = TestGraphs.graph(
            input: [inputs.count], outputs: ["e"], nodes: [TestGraphs.node("e", .exp, ["x"], "e")])
        let (_, outputs) = try TestGraphs.run(graph, inputs)
        let values = try #require(outputs[0].floats)
        var worst = 0.0
        var worstInput: Float = 0
        for (value, x) in zip(values, inputs) where Self.ulps(value, x) > worst {
            worst = Self.ulps(value, x)
            worstInput = x
        }
        #expect(worst <= 2, "worst error \(worst) ulp at x = \(worstInput)")
    }

    @Test func expKeepsNaNAndStaysFiniteBeyondTheRange() throws {
        let inputs: [Float] = [.nan, 100, -100, .infinity, -.infinity, 88, -87.3, 0, 0]
        let graph = TestGraphs.graph(
            input: [inputs.count], outputs: ["e"], nodes: [TestGraphs.node("e", .exp, ["x"], "e")])
        let (_, outputs) = try TestGraphs.run(graph, inputs)
        let values = try #require(outputs[0].floats)
        #expect(values[0].isNaN)
        #expect(values[1].isFinite && values[1] > 1e38)
        #expect(values[2] >= 0 && values[2] < 1e-37)
        #expect(values[3] > 1e38 && values[4] < 1e-37)
        #expect(Self.ulps(values[5], 88) <= 2 && Self.ulps(values[6], -87.3) <= 2)
        #expect(values[7] == 1)
    }

    @Test func concatOfFloatPairsInterleavesThem() throws {
        let rows = 37
        let x = TestGraphs.random(rows * 2, seed: 71)
        let k = TestGraphs.random(rows * 2, seed: 72)
        let graph = TestGraphs.graph(
            input: [1, rows, 2], outputs: ["cat"], constants: ["k": Tensor(shape: [1, rows, 2], floats: k)],
            nodes: [TestGraphs.node("cat", .concat(axis: 2), ["x", "k"], "cat")])
        let (_, outputs) = try TestGraphs.run(graph, x)
        var expected: [Float] = []
        for row in 0..<rows { expected += [x[2 * row], x[2 * row + 1], k[2 * row], k[2 * row + 1]] }
        #expect(outputs[0].shape == [1, rows, 4])
        #expect(outputs[0].floats == expected)
    }
}
