import Foundation
import NeuralEngine
import Testing

/// Each run-time operator on small shapes against a loop written from its definition.
@Suite struct OperatorTests {
    /// out[i] = a[broadcast index] op b[broadcast index], indices computed from the definition.
    static func broadcastReference(
        _ a: [Float], _ aShape: [Int], _ b: [Float], _ bShape: [Int], _ f: @escaping (Float, Float) -> Float
    ) -> ([Float], [Int]) {
        let rank = max(aShape.count, bShape.count)
        let pa = [Int](repeating: 1, count: rank - aShape.count) + aShape
        let pb = [Int](repeating: 1, count: rank - bShape.count) + bShape
        let shape = (0..<rank).map { max(pa[$0], pb[$0]) }
        let sa = TestGraphs.strides(pa)
        let sb = TestGraphs.strides(pb)
        let values = (0..<shape.reduce(1, *)).map { flat -> Float in
            let index = TestGraphs.index(flat, shape)
            var ia = 0
            var ib = 0
            for axis in 0..<rank {
                ia += (pa[axis] == 1 ? 0 : index[axis]) * sa[axis]
                ib += (pb[axis] == 1 ? 0 : index[axis]) * sb[axis]
            }
            return f(a[ia], b[ib])
        }
        return (values, shape)
    }

    @Test(arguments: [
        ([2, 3, 4], [3, 1]), ([1, 4], [3, 1]), ([2, 1, 4], [3, 1]), ([5], []), ([2, 3], [2, 3]),
        ([3, 1, 2], [1, 4, 1]),
    ])
    func broadcasting(shapes: ([Int], [Int])) throws {
        let (aShape, bShape) = shapes
        let a = TestGraphs.random(aShape.reduce(1, *), seed: 41)
        let b = TestGraphs.random(bShape.reduce(1, *), seed: 42).map { $0 + 3 }
        let operations: [NeuralEngine.Operation] = [.add, .sub, .mul, .div]
        for operation in operations {
            let f: (Float, Float) -> Float
            switch operation {
            case .add: f = { $0 + $1 }
            case .sub: f = { $0 - $1 }
            case .mul: f = { $0 * $1 }
            default: f = { $0 / $1 }
            }
            // Runtime x op constant, and constant op runtime x.
            for constantFirst in [false, true] {
                let inputs = constantFirst ? ["k", "x"] : ["x", "k"]
                let graph = TestGraphs.graph(
                    input: aShape, outputs: ["y"], constants: ["k": Tensor(shape: bShape, floats: b)],
                    nodes: [TestGraphs.node("op", operation, inputs, "y")])
                let (_, outputs) = try TestGraphs.run(graph, a)
                let (expected, shape) =
                    constantFirst
                    ? Self.broadcastReference(b, bShape, a, aShape, f)
                    : Self.broadcastReference(a, aShape, b, bShape, f)
                #expect(outputs[0].shape == shape)
                #expect(TestGraphs.maxDifference(outputs[0].floats, expected) == 0, "\(operation) \(aShape) \(bShape)")
            }
        }
    }

    @Test(arguments: [([1, 5, 3], 2), ([2, 3, 4], 1), ([4, 6], -1), ([2, 3], 0), ([1, 37, 2], 2), ([16, 2], 1)])
    func softmaxOpset9(shape: [Int], axis: Int) throws {
        let x = TestGraphs.random(shape.reduce(1, *), seed: 51).map { $0 * 10 }
        let graph = TestGraphs.graph(
            input: shape, outputs: ["y"], nodes: [TestGraphs.node("s", .softmax(axis: axis), ["x"], "y")])
        let (_, outputs) = try TestGraphs.run(graph, x)
        let normalized = axis < 0 ? axis + shape.count : axis
        let columns = shape[normalized...].reduce(1, *)
        var expected = [Float](repeating: 0, count: x.count)
        for row in 0..<(x.count / columns) {
            let slice = x[(row * columns)..<((row + 1) * columns)]
            let largest = slice.max()!
            let sum = slice.reduce(0) { $0 + Double(exp($1 - largest)) }
            for i in slice.indices { expected[i] = Float(Double(exp(x[i] - largest)) / sum) }
        }
        #expect(TestGraphs.maxDifference(outputs[0].floats, expected) <= 1e-6)
    }

    @Test(arguments: [
        ([2, 3, 4, 5], [0, 2, 3, 1]), ([3, 4, 5], [2, 0, 1]), ([3, 4], [1, 0]), ([2, 3, 4], []),
        ([1, 6, 2, 2], [0, 2, 3, 1]),
    ])
    func transpose(shape: [Int], permutation: [Int]) throws {
        let x = (0..<shape.reduce(1, *)).map(Float.init)
        let graph = TestGraphs.graph(
            input: shape, outputs: ["y"],
            nodes: [TestGraphs.node("t", .transpose(permutation: permutation), ["x"], "y")])
        let (_, outputs) = try TestGraphs.run(graph, x)
        let perm = permutation.isEmpty ? Array(shape.indices.reversed()) : permutation
        let outShape = perm.map { shape[$0] }
        let inStrides = TestGraphs.strides(shape)
        let expected = (0..<x.count).map { flat -> Float in
            let index = TestGraphs.index(flat, outShape)
            return x[perm.indices.reduce(0) { $0 + index[$1] * inStrides[perm[$1]] }]
        }
        #expect(outputs[0].shape == outShape)
        #expect(outputs[0].floats == expected)
    }

    @Test func sliceWithInt64MaxEndAndNegativeStart() throws {
        let x = (0..<(2 * 5 * 4)).map(Float.init)
        let graph = TestGraphs.graph(
            input: [2, 5, 4], outputs: ["a", "b", "c"],
            nodes: [
                TestGraphs.node("a", .slice(starts: [2], ends: [Int64.max], axes: [2]), ["x"], "a"),
                TestGraphs.node("b", .slice(starts: [0], ends: [2], axes: [-1]), ["x"], "b"),
                TestGraphs.node("c", .slice(starts: [1, -3], ends: [2, -1], axes: nil), ["x"], "c"),
            ])
        let (_, outputs) = try TestGraphs.run(graph, x)
        func reference(_ ranges: [Range<Int>]) -> [Float] {
            var result: [Float] = []
            for i in ranges[0] { for j in ranges[1] { for k in ranges[2] { result.append(x[(i * 5 + j) * 4 + k]) } } }
            return result
        }
        #expect(outputs[0].shape == [2, 5, 2])
        #expect(outputs[0].floats == reference([0..<2, 0..<5, 2..<4]))
        #expect(outputs[1].floats == reference([0..<2, 0..<5, 0..<2]))
        #expect(outputs[2].shape == [1, 2, 4])
        #expect(outputs[2].floats == reference([1..<2, 2..<4, 0..<4]))
    }

    @Test func gatherUnsqueezeConcatExpAtRunTime() throws {
        let x = TestGraphs.random(2 * 3 * 4, seed: 61)
        let k = TestGraphs.random(2 * 2 * 4, seed: 62)
        let graph = TestGraphs.graph(
            input: [2, 3, 4], outputs: ["g", "u", "cat", "e"],
            constants: ["idx": Tensor(shape: [2], int64s: [2, -3]), "k": Tensor(shape: [2, 2, 4], floats: k)],
            nodes: [
                TestGraphs.node("g", .gather(axis: 1), ["x", "idx"], "g"),
                TestGraphs.node("u", .unsqueeze(axes: [0, 3]), ["g"], "u"),
                TestGraphs.node("cat", .concat(axis: 1), ["x", "k", "g"], "cat"),
                TestGraphs.node("e", .exp, ["x"], "e"),
            ])
        let (model, outputs) = try TestGraphs.run(graph, x)
        var gathered: [Float] = []
        for i in 0..<2 { for j in [2, 0] { for l in 0..<4 { gathered.append(x[(i * 3 + j) * 4 + l]) } } }
        #expect(outputs[0].shape == [2, 2, 4])
        #expect(outputs[0].floats == gathered)
        #expect(outputs[1].shape == [1, 2, 2, 1, 4])
        #expect(outputs[1].floats == gathered)
        #expect(model.summary.reshapesAliased == 1)
        var concatenated: [Float] = []
        for i in 0..<2 {
            concatenated += x[(i * 12)..<((i + 1) * 12)]
            concatenated += k[(i * 8)..<((i + 1) * 8)]
            concatenated += gathered[(i * 8)..<((i + 1) * 8)]
        }
        #expect(outputs[2].shape == [2, 7, 4])
        #expect(outputs[2].floats == concatenated)
        #expect(TestGraphs.maxDifference(outputs[3].floats, x.map { exp($0) }) <= 5e-7)
    }

    /// The allocation-free path: write the input in place, run, read the output in place.
    @Test func inPlaceInputAndOutput() throws {
        let graph = TestGraphs.graph(input: [1, 8], outputs: ["y"], nodes: [TestGraphs.node("r", .relu, ["x"], "y")])
        let session = try CompiledModel(graph: graph).makeSession()
        session.withInput { buffer in
            for i in buffer.indices { buffer[i] = Float(i) - 4 }
        }
        session.run()
        let values = session.withOutput(at: 0) { Array($0) }
        #expect(values == [0, 0, 0, 0, 0, 1, 2, 3])
    }
}
