import NeuralEngine

/// Builders and simple reference loops for the small graphs the engine tests compile.
enum TestGraphs {
    /// Deterministic pseudo-random floats in [-1, 1) (64-bit LCG, fixed seed).
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    static func node(_ name: String, _ operation: Operation, _ inputs: [String], _ output: String) -> Graph.Node {
        Graph.Node(name: name, operation: operation, inputs: inputs, outputs: [output])
    }

    /// A graph with one input `x` of `shape`.
    static func graph(
        input shape: [Int], outputs: [String], constants: [String: Tensor] = [:], nodes: [Graph.Node]
    ) -> Graph {
        Graph(inputs: [.init(name: "x", shape: shape)], outputs: outputs, constants: constants, nodes: nodes)
    }

    /// Compiles and runs a graph on one input; returns the model and its outputs.
    static func run(_ graph: Graph, _ input: [Float], options: CompileOptions = .init()) throws -> (
        CompiledModel, [Tensor]
    ) {
        let model = try CompiledModel(graph: graph, options: options)
        let outputs = try model.makeSession().run(input: input)
        return (model, outputs)
    }

    /// Largest |a - b| over two equally long arrays (infinity when the lengths differ).
    static func maxDifference(_ a: [Float]?, _ b: [Float]) -> Float {
        guard let a, a.count == b.count else { return .infinity }
        return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Row-major strides.
    static func strides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.dropLast().reversed() { result[axis] = result[axis + 1] * shape[axis + 1] }
        return result
    }

    /// Multi-index of flat position `flat` in `shape`.
    static func index(_ flat: Int, _ shape: [Int]) -> [Int] {
        var rest = flat
        var result = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            result[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return result
    }

    /// Direct convolution, NCHW batch 1, OIHW weights: the definition, loop by loop.
    static func convolution(
        _ x: [Float], _ xShape: [Int], _ w: [Float], _ wShape: [Int], _ b: [Float]?,
        stride: Int = 1, pad: Int = 0, dilation: Int = 1, groups: Int = 1
    ) -> (values: [Float], shape: [Int]) {
        let (c, h, wi) = (xShape[1], xShape[2], xShape[3])
        let (o, icg, kh, kw) = (wShape[0], wShape[1], wShape[2], wShape[3])
        let oh = (h + 2 * pad - dilation * (kh - 1) - 1) / stride + 1
        let ow = (wi + 2 * pad - dilation * (kw - 1) - 1) / stride + 1
        var out = [Float](repeating: 0, count: o * oh * ow)
        let ocg = o / groups
        for oc in 0..<o {
            for y in 0..<oh {
                for xx in 0..<ow {
                    var sum = b?[oc] ?? 0
                    for i in 0..<icg {
                        let ch = (oc / ocg) * icg + i
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let iy = y * stride - pad + ky * dilation
                                let ix = xx * stride - pad + kx * dilation
                                guard iy >= 0, iy < h, ix >= 0, ix < wi, ch < c else { continue }
                                sum += w[((oc * icg + i) * kh + ky) * kw + kx] * x[(ch * h + iy) * wi + ix]
                            }
                        }
                    }
                    out[(oc * oh + y) * ow + xx] = sum
                }
            }
        }
        return (out, [1, o, oh, ow])
    }
}
