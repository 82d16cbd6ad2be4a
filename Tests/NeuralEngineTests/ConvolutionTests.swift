import NeuralEngine
import Testing

@Suite struct ConvolutionTests {
    /// Odd shapes: padding, stride, dilation, groups, with and without bias.
    @Test(arguments: [
        (channels: 3, outputs: 5, kernel: 3, stride: 1, pad: 1, dilation: 1, groups: 1, bias: true),
        (channels: 4, outputs: 6, kernel: 3, stride: 2, pad: 1, dilation: 1, groups: 2, bias: false),
        (channels: 6, outputs: 6, kernel: 3, stride: 1, pad: 2, dilation: 2, groups: 6, bias: true),
        (channels: 5, outputs: 7, kernel: 1, stride: 1, pad: 0, dilation: 1, groups: 1, bias: true),
    ])
    func convolutionMatchesDirectLoop(
        c: (channels: Int, outputs: Int, kernel: Int, stride: Int, pad: Int, dilation: Int, groups: Int, bias: Bool)
    ) throws {
        let xShape = [1, c.channels, 9, 11]
        let wShape = [c.outputs, c.channels / c.groups, c.kernel, c.kernel]
        let x = TestGraphs.random(xShape.reduce(1, *), seed: 1)
        let w = TestGraphs.random(wShape.reduce(1, *), seed: 2)
        let b = c.bias ? TestGraphs.random(c.outputs, seed: 3) : nil
        var constants = ["w": Tensor(shape: wShape, floats: w)]
        if let b { constants["b"] = Tensor(shape: [c.outputs], floats: b) }
        let attributes = ConvolutionAttributes(
            strides: [c.stride, c.stride], dilations: [c.dilation, c.dilation], pads: Array(repeating: c.pad, count: 4),
            groups: c.groups)
        let graph = TestGraphs.graph(
            input: xShape, outputs: ["y"], constants: constants,
            nodes: [TestGraphs.node("conv", .convolution(attributes), c.bias ? ["x", "w", "b"] : ["x", "w"], "y")])
        let (_, outputs) = try TestGraphs.run(graph, x)
        let expected = TestGraphs.convolution(
            x, xShape, w, wShape, b, stride: c.stride, pad: c.pad, dilation: c.dilation, groups: c.groups)
        #expect(outputs[0].shape == expected.shape)
        #expect(TestGraphs.maxDifference(outputs[0].floats, expected.values) <= 1e-5)
    }

    /// Large enough to be split across threads: by output channels (dense) and by groups (depthwise).
    @Test(arguments: [1, 16])
    func threadedConvolutionMatchesSingleThread(groups: Int) throws {
        // At least 2^20 multiply-adds, the engine's threshold for splitting.
        let xShape = groups == 1 ? [1, 16, 40, 30] : [1, 16, 64, 60]
        let wShape = [32, 16 / groups, 3, 3]
        let x = TestGraphs.random(xShape.reduce(1, *), seed: 4)
        let w = TestGraphs.random(wShape.reduce(1, *), seed: 5)
        let b = TestGraphs.random(32, seed: 6)
        let graph = TestGraphs.graph(
            input: xShape, outputs: ["y"],
            constants: ["w": Tensor(shape: wShape, floats: w), "b": Tensor(shape: [32], floats: b)],
            nodes: [
                TestGraphs.node(
                    "conv", .convolution(.init(pads: [1, 1, 1, 1], groups: groups)), ["x", "w", "b"], "c"),
                TestGraphs.node("relu", .relu, ["c"], "y"),
            ])
        let expected = TestGraphs.convolution(x, xShape, w, wShape, b, pad: 1, groups: groups).values.map { max(0, $0) }
        for threads in [1, 2, 3] {
            let (model, outputs) = try TestGraphs.run(graph, x, options: .init(threads: threads))
            #expect(model.summary.relusFused == 1)
            #expect(TestGraphs.maxDifference(outputs[0].floats, expected) <= 1e-5, "threads \(threads)")
        }
    }
}
