import NeuralEngine

/// The one place where ONNX operator spellings live: maps an ONNX node (op_type, domain,
/// attributes) to the engine's `Operation`, checking input and output counts.
///
/// Every attribute an entry does not read is an error, so nothing the file asks for is ignored
/// silently; attributes with no effect on inference (BatchNormalization `momentum`) are ignored
/// explicitly.
enum OperatorTable {
    /// What the table needs to know beyond the node itself.
    struct Context {
        /// Version of the default operator set (`ai.onnx`) the model imports.
        var operatorSetVersion: Int64
        /// The value of a constant (initializer or earlier `Constant` node output), if it is one.
        var constant: (String) -> Tensor?
        /// The rank of a value when the file tells it (input shapes, value_info, constants).
        var rank: (String) -> Int?
        /// The model buffer, for tensor attributes.
        var buffer: UnsafeRawBufferPointer
    }

    /// Maps one node; `name` is its display name (generated when the file has none).
    static func node(
        from message: NodeMessage, named name: String, context: Context
    ) throws(ONNXImportError) -> Graph.Node {
        guard message.domain.isEmpty || message.domain == "ai.onnx" else {
            throw ONNXImportError(
                .unsupportedOperator, "unsupported operator '\(message.operatorType)' in domain '\(message.domain)'",
                byteOffset: message.byteOffset, node: name)
        }
        var attributes = try NodeAttributes(message, node: name, buffer: context.buffer)
        var node = Graph.Node(name: name, operation: .relu, inputs: message.inputs, outputs: message.outputs)
        let arity = NodeArity(message: message, node: name)
        let opset = context.operatorSetVersion

        switch message.operatorType {
        case "Conv":
            try arity.check(inputs: 2...3)
            node.operation = .convolution(try convolution(&attributes))
        case "BatchNormalization":
            try arity.check(inputs: 5...5, outputs: 1...5)
            guard message.outputs.count == 1 else {
                throw ONNXImportError(
                    .unsupportedOperator,
                    "training-mode BatchNormalization (\(message.outputs.count) outputs) is not supported",
                    byteOffset: message.byteOffset, node: name, hint: "export the model in inference mode")
            }
            try requireValue(&attributes, "spatial", 1)
            try requireValue(&attributes, "is_test", 1)
            try requireValue(&attributes, "training_mode", 0)
            attributes.ignore("momentum")
            attributes.ignore("consumed_inputs")
            node.operation = .batchNormalization(epsilon: try attributes.float("epsilon") ?? 1e-5)
        case "Relu":
            try arity.check(inputs: 1...1)
            attributes.ignore("consumed_inputs")
            node.operation = .relu
        case "Concat":
            try arity.check(inputs: 1...Int.max)
            guard let axis = try attributes.int("axis") ?? (opset < 4 ? 1 : nil) else {
                throw attributes.unsupported("axis", "is required")
            }
            node.operation = .concat(axis: axis)
        case "Reshape":
            if attributes.has("shape") {
                throw attributes.unsupported(
                    "shape", "(opset < 5 form) is not supported", hint: "re-export with opset 9 or later")
            }
            try arity.check(inputs: 2...2)
            try requireValue(&attributes, "allowzero", 0)
            node.operation = .reshape
        case "Transpose":
            try arity.check(inputs: 1...1)
            if let permutation = try attributes.ints("perm") {
                node.operation = .transpose(permutation: permutation)
            } else if let rank = context.rank(message.inputs[0]) {
                node.operation = .transpose(permutation: Array((0..<rank).reversed()))
            } else {
                throw attributes.unsupported(
                    "perm", "is missing and the input rank is unknown, so the default (reversed axes) cannot be built")
            }
        case "Softmax":
            try arity.check(inputs: 1...1)
            let axis = try attributes.int("axis") ?? (opset < 13 ? 1 : -1)
            // From opset 13 softmax runs over one axis; that equals the opset-9 form only for the last axis.
            if opset >= 13 && axis != -1 && axis != context.rank(message.inputs[0]).map({ $0 - 1 }) {
                throw attributes.unsupported("axis", "= \(axis) is supported from opset 13 only for the last axis")
            }
            node.operation = .softmax(axis: axis)
        case "Add", "Sub", "Mul", "Div":
            try arity.check(inputs: 2...2)
            if attributes.has("axis") {
                throw attributes.unsupported("axis", "(opset < 7 broadcasting) is not supported")
            }
            attributes.ignore("broadcast")
            attributes.ignore("consumed_inputs")
            switch message.operatorType {
            case "Add": node.operation = .add
            case "Sub": node.operation = .sub
            case "Mul": node.operation = .mul
            default: node.operation = .div
            }
        case "Exp":
            try arity.check(inputs: 1...1)
            node.operation = .exp
        case "Slice":
            node.operation = try slice(message, &attributes, &node, arity: arity, context: context)
        case "Gather":
            try arity.check(inputs: 2...2)
            node.operation = .gather(axis: try attributes.int("axis") ?? 0)
        case "Unsqueeze":
            if opset >= 13 {
                try arity.check(inputs: 2...2)
                let axes = try constantInts(message.inputs[1], "axes", message, name, context)
                node.inputs = [message.inputs[0]]
                node.operation = .unsqueeze(axes: axes.map { Int(truncatingIfNeeded: $0) })
            } else {
                try arity.check(inputs: 1...1)
                guard let axes = try attributes.ints("axes") else {
                    throw attributes.unsupported("axes", "is required")
                }
                node.operation = .unsqueeze(axes: axes)
            }
        case "Shape":
            try arity.check(inputs: 1...1)
            try requireValue(&attributes, "start", 0)
            if attributes.has("end") { throw attributes.unsupported("end", "is not supported") }
            node.operation = .shape
        case "Constant":
            try arity.check(inputs: 0...0)
            node.operation = .constant(try constantValue(&attributes))
        default:
            throw ONNXImportError(
                .unsupportedOperator, "unsupported operator '\(message.operatorType)' (domain ai.onnx)",
                byteOffset: message.byteOffset, node: name)
        }
        try attributes.rejectUnread()
        return node
    }

    /// Conv: 2-D only, explicit padding only.
    private static func convolution(_ attributes: inout NodeAttributes) throws(ONNXImportError) -> ConvolutionAttributes
    {
        if let autoPad = try attributes.string("auto_pad"), !autoPad.isEmpty, autoPad != "NOTSET" {
            throw attributes.unsupported("auto_pad", "= \(autoPad) is not supported", hint: "export with explicit pads")
        }
        var result = ConvolutionAttributes()
        if let kernel = try attributes.ints("kernel_shape") {
            guard kernel.count == 2, kernel.allSatisfy({ $0 > 0 }) else {
                throw attributes.unsupported("kernel_shape", "= \(kernel) is not supported (2-D, positive)")
            }
            result.kernelShape = kernel
        }
        let pairs: [(String, WritableKeyPath<ConvolutionAttributes, [Int]>)] = [
            ("strides", \.strides), ("dilations", \.dilations),
        ]
        for (name, path) in pairs {
            guard let values = try attributes.ints(name) else { continue }
            guard values.count == 2, values.allSatisfy({ $0 > 0 && $0 <= 65_536 }) else {
                throw attributes.unsupported(name, "= \(values) is not supported (2 positive values)")
            }
            result[keyPath: path] = values
        }
        if let pads = try attributes.ints("pads") {
            guard pads.count == 4, pads.allSatisfy({ $0 >= 0 && $0 <= 65_536 }) else {
                throw attributes.unsupported("pads", "= \(pads) is not supported (4 values >= 0)")
            }
            result.pads = pads
        }
        if let groups = try attributes.int("group") {
            guard groups > 0 else { throw attributes.unsupported("group", "= \(groups) must be positive") }
            result.groups = groups
        }
        return result
    }

    /// Slice: the opset-1 form with attributes, or the opset-10 form with constant inputs and unit steps.
    private static func slice(
        _ message: NodeMessage, _ attributes: inout NodeAttributes, _ node: inout Graph.Node, arity: NodeArity,
        context: Context
    ) throws(ONNXImportError) -> Operation {
        let starts: [Int64]
        let ends: [Int64]
        var axes: [Int64]?
        if context.operatorSetVersion < 10 {
            try arity.check(inputs: 1...1)
            guard let attributeStarts = try attributes.int64s("starts") else {
                throw attributes.unsupported("starts", "is required")
            }
            guard let attributeEnds = try attributes.int64s("ends") else {
                throw attributes.unsupported("ends", "is required")
            }
            (starts, ends, axes) = (attributeStarts, attributeEnds, try attributes.int64s("axes"))
        } else {
            try arity.check(inputs: 3...5)
            let inputs = message.inputs
            starts = try constantInts(inputs[1], "starts", message, node.name, context)
            ends = try constantInts(inputs[2], "ends", message, node.name, context)
            if inputs.count > 3, !inputs[3].isEmpty {
                axes = try constantInts(inputs[3], "axes", message, node.name, context)
            }
            if inputs.count > 4, !inputs[4].isEmpty {
                let steps = try constantInts(inputs[4], "steps", message, node.name, context)
                guard steps.allSatisfy({ $0 == 1 }) else {
                    throw ONNXImportError(
                        .unsupportedAttribute, "Slice steps \(steps) are not supported (only 1)",
                        byteOffset: message.byteOffset, node: node.name)
                }
            }
            node.inputs = [inputs[0]]
        }
        guard starts.count == ends.count, axes.map({ $0.count == starts.count }) ?? true else {
            throw ONNXImportError(
                .unsupportedAttribute, "Slice starts, ends and axes differ in length",
                byteOffset: message.byteOffset, node: node.name)
        }
        return .slice(starts: starts, ends: ends, axes: axes?.map { Int(truncatingIfNeeded: $0) })
    }

    /// Constant: the `value` tensor, or one of the scalar and list shorthands.
    private static func constantValue(_ attributes: inout NodeAttributes) throws(ONNXImportError) -> Tensor {
        if let tensor = try attributes.tensor("value") { return tensor }
        if let value = try attributes.float("value_float") { return Tensor(shape: [], floats: [value]) }
        if let values = try attributes.floats("value_floats") { return Tensor(shape: [values.count], floats: values) }
        if let value = try attributes.int("value_int") { return Tensor(shape: [], int64s: [Int64(value)]) }
        if let values = try attributes.int64s("value_ints") { return Tensor(shape: [values.count], int64s: values) }
        throw attributes.unsupported("value", "is missing (sparse and string constants are not supported)")
    }

    /// A node input that must be a constant int64 (or int32) vector, such as Slice `starts`.
    private static func constantInts(
        _ input: String, _ role: String, _ message: NodeMessage, _ node: String, _ context: Context
    ) throws(ONNXImportError) -> [Int64] {
        guard let tensor = context.constant(input), let values = tensor.int64s, tensor.shape.count <= 1 else {
            throw ONNXImportError(
                .unsupportedOperator,
                "\(message.operatorType) input '\(role)' ('\(input)') must be a constant integer vector",
                byteOffset: message.byteOffset, node: node)
        }
        return values
    }

    /// Reads an INT attribute that the engine supports only with one value (or absent).
    private static func requireValue(
        _ attributes: inout NodeAttributes, _ name: String, _ expected: Int
    ) throws(ONNXImportError) {
        if let value = try attributes.int(name), value != expected {
            throw attributes.unsupported(name, "= \(value) is not supported (only \(expected))")
        }
    }
}
