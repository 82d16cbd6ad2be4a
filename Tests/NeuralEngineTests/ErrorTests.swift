import NeuralEngine
import Testing

/// What a hostile or broken graph, or a wrong call, gets: an `EngineError`, never a trap.
@Suite struct ErrorTests {
    static func compileError(_ graph: Graph, options: CompileOptions = .init()) -> EngineError? {
        do {
            _ = try CompiledModel(graph: graph, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func convolutionWeightThatDoesNotFit() throws {
        let graph = TestGraphs.graph(
            input: [1, 3, 8, 8], outputs: ["y"],
            constants: ["w": Tensor(shape: [4, 2, 3, 3], floats: .init(repeating: 0, count: 72))],
            nodes: [TestGraphs.node("bad_conv", .convolution(.init()), ["x", "w"], "y")])
        let error = try #require(Self.compileError(graph))
        #expect(error.code == .shapeMismatch)
        #expect(error.node == "bad_conv")
        #expect(error.message.contains("[1, 3, 8, 8]") && error.message.contains("[4, 2, 3, 3]"))
    }

    @Test func convolutionKernelLargerThanInput() throws {
        let graph = TestGraphs.graph(
            input: [1, 1, 2, 2], outputs: ["y"],
            constants: ["w": Tensor(shape: [1, 1, 3, 3], floats: .init(repeating: 0, count: 9))],
            nodes: [TestGraphs.node("conv", .convolution(.init()), ["x", "w"], "y")])
        #expect(Self.compileError(graph)?.code == .shapeMismatch)
    }

    @Test func reshapeToImpossibleShape() throws {
        for target: [Int64] in [[5, 5], [-1, -1], [-2, 3], [0, 0, 0, 7], [Int64.max, 2]] {
            let graph = TestGraphs.graph(
                input: [2, 3], outputs: ["y"], constants: ["s": Tensor(shape: [target.count], int64s: target)],
                nodes: [TestGraphs.node("reshape", .reshape, ["x", "s"], "y")])
            #expect(Self.compileError(graph)?.code == .shapeMismatch, "\(target)")
        }
    }

    @Test func hugeDeclaredShapes() throws {
        let huge = TestGraphs.graph(
            input: [1, 3, 100_000, 100_000], outputs: ["y"], nodes: [TestGraphs.node("r", .relu, ["x"], "y")])
        #expect(Self.compileError(huge)?.code == .tooLarge)
        let overflow = TestGraphs.graph(
            input: [Int.max, Int.max], outputs: ["y"], nodes: [TestGraphs.node("r", .relu, ["x"], "y")])
        #expect(Self.compileError(overflow)?.code == .tooLarge)
        // Many live values that together exceed the arena limit.
        let nodes = (0..<4).map { TestGraphs.node("e\($0)", .exp, ["x"], "e\($0)") }
        let wide = TestGraphs.graph(input: [1, 1 << 20], outputs: nodes.map { $0.outputs[0] }, nodes: nodes)
        #expect(Self.compileError(wide, options: .init(memoryLimitBytes: 16 << 20))?.code == .tooLarge)
    }

    @Test func missingValuesAndBadGraphs() throws {
        let missing = TestGraphs.graph(
            input: [2], outputs: ["y"], nodes: [TestGraphs.node("add", .add, ["x", "nowhere"], "y")])
        let error = try #require(Self.compileError(missing))
        #expect(error.code == .missingValue)
        #expect(error.node == "add")
        let noOutput = TestGraphs.graph(input: [2], outputs: ["z"], nodes: [TestGraphs.node("r", .relu, ["x"], "y")])
        #expect(Self.compileError(noOutput)?.code == .missingValue)
        let twice = TestGraphs.graph(
            input: [2], outputs: ["y"],
            nodes: [TestGraphs.node("a", .relu, ["x"], "y"), TestGraphs.node("b", .exp, ["x"], "y")])
        #expect(Self.compileError(twice)?.code == .invalidGraph)
        let badBroadcast = TestGraphs.graph(
            input: [2, 3], outputs: ["y"], constants: ["k": Tensor(shape: [2], floats: [1, 2])],
            nodes: [TestGraphs.node("mul", .mul, ["x", "k"], "y")])
        #expect(Self.compileError(badBroadcast)?.code == .shapeMismatch)
        let badPermutation = TestGraphs.graph(
            input: [2, 3], outputs: ["y"], nodes: [TestGraphs.node("t", .transpose(permutation: [0, 0]), ["x"], "y")])
        #expect(Self.compileError(badPermutation)?.code == .shapeMismatch)
        let badGather = TestGraphs.graph(
            input: [2, 3], outputs: ["y"], constants: ["i": Tensor(shape: [1], int64s: [7])],
            nodes: [TestGraphs.node("g", .gather(axis: 1), ["x", "i"], "y")])
        #expect(Self.compileError(badGather)?.code == .shapeMismatch)
        // A Reshape whose target is computed from run-time floats cannot have a static shape.
        let dynamicReshape = TestGraphs.graph(
            input: [2], outputs: ["y"], nodes: [TestGraphs.node("reshape", .reshape, ["x", "x"], "y")])
        #expect(Self.compileError(dynamicReshape)?.code == .unsupported)
    }

    @Test func symbolicDimensionsNeedAnOverride() throws {
        var graph = TestGraphs.graph(input: [1, 3], outputs: ["y"], nodes: [TestGraphs.node("r", .relu, ["x"], "y")])
        graph.inputs[0].shape = [1, nil]
        #expect(Self.compileError(graph)?.code == .invalidGraph)
        let model = try CompiledModel(graph: graph, options: .init(inputShapes: ["x": [1, 5]]))
        #expect(model.inputs[0].shape == [1, 5])
        #expect(model.outputs[0].shape == [1, 5])
        #expect(Self.compileError(graph, options: .init(inputShapes: ["x": [2, 5]]))?.code == .shapeMismatch)
    }

    @Test func wrongInputSizeAtRunTime() throws {
        let graph = TestGraphs.graph(input: [1, 3], outputs: ["y"], nodes: [TestGraphs.node("r", .relu, ["x"], "y")])
        let session = try CompiledModel(graph: graph).makeSession()
        #expect(throws: EngineError.self) { try session.run(input: [1, 2]) }
        do {
            _ = try session.run(input: [1, 2, 3, 4])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidInput)
        }
        #expect(try session.run(input: [-1, 0, 2])[0].floats == [0, 0, 2])
    }
}
