import NeuralEngine
import Testing

/// `PointwiseDepthwiseFusion`: a 1x1 convolution (+ ReLU) whose map of at least 1 MiB only a 3x3
/// depthwise convolution reads becomes one banded step, with the same results as the two
/// convolutions one after the other; any other reader of the map, a map that is a graph output,
/// or a small map keeps them apart.
@Suite struct PointwiseDepthwiseFusionTests {
    /// x [1, 4, H, W] -> 1x1 to 8 channels -> ReLU ("m") -> 3x3 depthwise (pads 1, `stride`) -> ReLU.
    /// With H x W = 128 x 256 the map "m" is 8 x 128 x 256 floats, 1 MiB.
    static func pair(
        height: Int = 128, width: Int = 256, stride: Int, outputs: [String] = ["y"], extraReader: Bool = false,
        biases: Bool = true
    ) -> (Graph, expected: [Float], x: [Float]) {
        let xShape = [1, 4, height, width]
        let (w1Shape, w2Shape) = ([8, 4, 1, 1], [8, 1, 3, 3])
        let x = TestGraphs.random(xShape.reduce(1, *), seed: 21)
        let (w1, b1) = (TestGraphs.random(32, seed: 22), TestGraphs.random(8, seed: 23))
        let (w2, b2) = (TestGraphs.random(72, seed: 24), TestGraphs.random(8, seed: 25))
        let middle = TestGraphs.convolution(x, xShape, w1, w1Shape, biases ? b1 : nil)
        let m = middle.values.map { max(0, $0) }
        let expected = TestGraphs.convolution(
            m, middle.shape, w2, w2Shape, biases ? b2 : nil, stride: stride, pad: 1, groups: 8
        )
        .values.map { max(0, $0) }
        var nodes = [
            TestGraphs.node("pw", .convolution(.init()), biases ? ["x", "w1", "b1"] : ["x", "w1"], "c"),
            TestGraphs.node("relu1", .relu, ["c"], "m"),
            TestGraphs.node(
                "dw", .convolution(.init(strides: [stride, stride], pads: [1, 1, 1, 1], groups: 8)),
                biases ? ["m", "w2", "b2"] : ["m", "w2"], "d"),
            TestGraphs.node("relu2", .relu, ["d"], "y"),
        ]
        if extraReader { nodes.append(TestGraphs.node("other", .relu, ["m"], "z")) }
        let graph = TestGraphs.graph(
            input: xShape, outputs: outputs + (extraReader ? ["z"] : []),
            constants: [
                "w1": Tensor(shape: w1Shape, floats: w1), "b1": Tensor(shape: [8], floats: b1),
                "w2": Tensor(shape: w2Shape, floats: w2), "b2": Tensor(shape: [8], floats: b2),
            ],
            nodes: nodes)
        return (graph, expected, x)
    }

    @Test(arguments: [(1, true), (2, true), (2, false)])
    func aLargeMapReadOnlyByTheDepthwiseConvolutionIsNeverWritten(stride: Int, biases: Bool) throws {
        let (graph, expected, x) = Self.pair(stride: stride, biases: biases)
        for threads in [1, 2] {
            let (model, outputs) = try TestGraphs.run(graph, x, options: .init(threads: threads))
            #expect(model.summary.pointwiseDepthwisePairs == 1)
            #expect(model.summary.stepsAfter == 1)
            #expect(model.stepDescriptions[0].contains("pointwise+depthwise3x3 4->8"))
            // The arena holds the input and the output, not the 1 MiB map between them (apart,
            // the map and the output would be live at once).
            #expect(model.summary.arenaBytes <= 4 * (4 * 128 * 256 + expected.count))
            #expect(TestGraphs.maxDifference(outputs[0].floats, expected) <= 1e-5, "threads \(threads)")
        }
    }

    @Test func anotherReaderAnOutputOrASmallMapKeepsThemApart() throws {
        let cases = [
            Self.pair(stride: 2, extraReader: true), Self.pair(stride: 2, outputs: ["y", "m"]),
            Self.pair(height: 64, stride: 2),
        ]
        for (graph, expected, x) in cases {
            let (model, outputs) = try TestGraphs.run(graph, x)
            #expect(model.summary.pointwiseDepthwisePairs == 0)
            #expect(TestGraphs.maxDifference(outputs[0].floats, expected) <= 1e-5)
        }
    }

    /// At int8 precision the 1x1 (it has a ReLU) runs in 8-bit integers in a layer of its own.
    @Test func anInt8PointwiseConvolutionKeepsItsOwnLayer() throws {
        let (graph, _, x) = Self.pair(stride: 2)
        let (model, _) = try TestGraphs.run(graph, x, options: .init(precision: .int8))
        #expect(model.summary.pointwiseDepthwisePairs == 0)
        #expect(model.summary.stepsAfter == 2)
    }
}
