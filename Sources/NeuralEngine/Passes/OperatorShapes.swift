/// Output shape and element type of each operator from its input shapes (ONNX opset-9 rules),
/// with the checks that keep malformed graphs from reaching the kernels.
enum OperatorShapes {
    struct Context {
        var node: CompilationState.Node
        /// Shapes of the inputs in order; nil for an omitted optional input.
        var inputShapes: [[Int]?]
        var inputTypes: [ElementType?]
        var constants: [String: Tensor]

        var name: String { node.name }

        func mismatch(_ message: String) -> EngineError {
            EngineError(.shapeMismatch, node: node.name, message)
        }

        /// Shape of required input `index`; throws when the node has too few inputs.
        func shape(_ index: Int) throws(EngineError) -> [Int] {
            guard index < inputShapes.count, let shape = inputShapes[index] else {
                throw EngineError(.invalidGraph, node: node.name, "missing required input \(index)")
            }
            return shape
        }

        /// Checks the input count and that the listed inputs are float32.
        func expectInputs(_ range: ClosedRange<Int>, floats: [Int]) throws(EngineError) {
            guard range.contains(inputShapes.count) else {
                throw EngineError(.invalidGraph, node: node.name, "expected \(range) inputs, got \(inputShapes.count)")
            }
            for index in floats where index < inputTypes.count {
                if let type = inputTypes[index], type != .float32 {
                    throw EngineError(.unsupported, node: node.name, "input \(index) must be float32")
                }
            }
        }

        /// The int64 constant value of input `index` (e.g. Reshape's target shape).
        func int64Constant(_ index: Int) throws(EngineError) -> [Int64] {
            guard index < node.inputs.count, let tensor = constants[node.inputs[index]] else {
                throw EngineError(
                    .unsupported, node: node.name, "input \(index) must be a constant (computed at run time here)")
            }
            guard let values = tensor.int64s else {
                throw EngineError(.unsupported, node: node.name, "input \(index) must be int64")
            }
            return values
        }
    }

    static func output(_ c: Context) throws(EngineError) -> (shape: [Int], type: ElementType) {
        switch c.node.operation {
        case .convolution(let attributes):
            try c.expectInputs(2...3, floats: [0, 1, 2])
            let geometry = try attributes.geometry(
                input: c.shape(0), weight: c.shape(1), bias: c.inputShapes.count > 2 ? c.inputShapes[2] : nil,
                node: c.name)
            return ([1, geometry.outputChannels, geometry.outputHeight, geometry.outputWidth], .float32)
        case .batchNormalization(let epsilon):
            try c.expectInputs(5...5, floats: [0, 1, 2, 3, 4])
            let x = try c.shape(0)
            guard x.count >= 2, epsilon >= 0, epsilon.isFinite else {
                throw c.mismatch("BatchNormalization needs rank >= 2 and epsilon >= 0, got \(x) and \(epsilon)")
            }
            for index in 1...4 where try c.shape(index) != [x[1]] {
                throw c.mismatch(
                    "BatchNormalization parameter \(index) has shape \(try c.shape(index)), expected [\(x[1])]")
            }
            return (x, .float32)
        case .relu, .exp:
            try c.expectInputs(1...1, floats: [0])
            return (try c.shape(0), .float32)
        case .add, .sub, .mul, .div:
            try c.expectInputs(2...2, floats: [0, 1])
            guard let shape = ShapeMath.broadcast(try c.shape(0), try c.shape(1)) else {
                throw c.mismatch("cannot broadcast \(try c.shape(0)) with \(try c.shape(1))")
            }
            return (shape, .float32)
        case .softmax(let axis):
            try c.expectInputs(1...1, floats: [0])
            let x = try c.shape(0)
            _ = try ShapeMath.axis(axis, rank: max(x.count, 1), node: c.name)
            return (x, .float32)
        case .concat(let axis):
            return try concat(c, axis: axis)
        case .reshape:
            try c.expectInputs(2...2, floats: [])
            return (try reshape(c), try dataType(c))
        case .transpose(let permutation):
            try c.expectInputs(1...1, floats: [])
            let x = try c.shape(0)
            let perm = permutation.isEmpty ? Array(x.indices.reversed()) : permutation
            guard perm.count == x.count, Set(perm) == Set(x.indices) else {
                throw c.mismatch("permutation \(permutation) does not fit shape \(x)")
            }
            return (perm.map { x[$0] }, try dataType(c))
        case .slice(let starts, let ends, let axes):
            try c.expectInputs(1...1, floats: [])
            let ranges = try SliceLayer.ranges(shape: c.shape(0), starts: starts, ends: ends, axes: axes, node: c.name)
            return (ranges.map { $0.count }, try dataType(c))
        case .gather(let axis):
            try c.expectInputs(2...2, floats: [])
            let data = try c.shape(0)
            let indices = try c.shape(1)
            let normalized = try ShapeMath.axis(axis, rank: data.count, node: c.name)
            guard c.inputTypes[1] == .int64 else {
                throw EngineError(.unsupported, node: c.name, "Gather indices must be int64")
            }
            return (Array(data[..<normalized]) + indices + Array(data[(normalized + 1)...]), try dataType(c))
        case .unsqueeze(let axes):
            try c.expectInputs(1...1, floats: [])
            return (try unsqueeze(c.shape(0), axes: axes, c), try dataType(c))
        case .shape:
            try c.expectInputs(1...1, floats: [])
            return ([try c.shape(0).count], .int64)
        case .constant(let tensor):
            try c.expectInputs(0...0, floats: [])
            return (tensor.shape, tensor.elementType)
        }
    }

    private static func dataType(_ c: Context) throws(EngineError) -> ElementType {
        guard let type = c.inputTypes.first ?? nil else {
            throw EngineError(.invalidGraph, node: c.name, "missing data input")
        }
        return type
    }

    private static func concat(_ c: Context, axis: Int) throws(EngineError) -> ([Int], ElementType) {
        guard !c.inputShapes.isEmpty else { throw EngineError(.invalidGraph, node: c.name, "Concat without inputs") }
        let first = try c.shape(0)
        let normalized = try ShapeMath.axis(axis, rank: first.count, node: c.name)
        let type = try dataType(c)
        var result = first
        result[normalized] = 0
        for index in c.inputShapes.indices {
            let shape = try c.shape(index)
            guard c.inputTypes[index] == type else { throw c.mismatch("Concat inputs have different element types") }
            guard shape.count == first.count,
                shape.indices.allSatisfy({ $0 == normalized || shape[$0] == first[$0] })
            else {
                throw c.mismatch("Concat on axis \(axis): shape \(shape) does not fit \(first)")
            }
            result[normalized] += shape[normalized]
        }
        return (result, type)
    }

    private static func reshape(_ c: Context) throws(EngineError) -> [Int] {
        let input = try c.shape(0)
        let target = try c.int64Constant(1)
        var shape: [Int] = []
        var inferred: Int? = nil
        for (index, value) in target.enumerated() {
            switch value {
            case 0:
                guard index < input.count else { throw c.mismatch("Reshape: 0 at axis \(index) but input is \(input)") }
                shape.append(input[index])
            case -1:
                guard inferred == nil else { throw c.mismatch("Reshape target \(target) has more than one -1") }
                inferred = index
                shape.append(1)
            case 1...Int64(Int32.max):
                shape.append(Int(value))
            default:
                throw c.mismatch("Reshape target \(target) has invalid dimension \(value)")
            }
        }
        let inputCount = input.reduce(1, *)
        let (known, overflow) = shape.reduce((1, false)) { partial, dimension in
            let (product, o) = partial.0.multipliedReportingOverflow(by: dimension)
            return (product, partial.1 || o)
        }
        if let inferred {
            guard !overflow, known > 0, inputCount % known == 0 else {
                throw c.mismatch("cannot reshape \(input) to \(target)")
            }
            shape[inferred] = inputCount / known
        } else {
            guard !overflow, known == inputCount else { throw c.mismatch("cannot reshape \(input) to \(target)") }
        }
        return shape
    }

    private static func unsqueeze(_ input: [Int], axes: [Int], _ c: Context) throws(EngineError) -> [Int] {
        let rank = input.count + axes.count
        var normalized = Set<Int>()
        for axis in axes {
            let value = try ShapeMath.axis(axis, rank: rank, node: c.name)
            guard normalized.insert(value).inserted else { throw c.mismatch("Unsqueeze axes \(axes) repeat an axis") }
        }
        var result: [Int] = []
        var next = input.makeIterator()
        for axis in 0..<rank {
            result.append(normalized.contains(axis) ? 1 : next.next()!)
        }
        return result
    }
}
