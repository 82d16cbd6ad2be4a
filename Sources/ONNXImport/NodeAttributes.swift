import NeuralEngine

/// Typed access to a node's attributes for the operator table, remembering which ones were read
/// so that an attribute the table does not understand is reported instead of silently ignored.
struct NodeAttributes {
    private let attributes: [AttributeMessage]
    private var used: Set<String> = []
    /// The node's display name, for errors.
    let node: String
    /// The node's operator type, for errors.
    let operatorType: String
    /// Offset of the node in the file, for errors about missing attributes.
    private let nodeOffset: Int
    private let buffer: UnsafeRawBufferPointer

    init(_ message: NodeMessage, node: String, buffer: UnsafeRawBufferPointer) throws(ONNXImportError) {
        var names: Set<String> = []
        for attribute in message.attributes where !names.insert(attribute.name).inserted {
            throw ONNXImportError(
                .malformed, "attribute '\(attribute.name)' appears twice", byteOffset: attribute.byteOffset, node: node)
        }
        self.attributes = message.attributes
        self.node = node
        self.operatorType = message.operatorType
        self.nodeOffset = message.byteOffset
        self.buffer = buffer
    }

    /// True when the node has the attribute.
    func has(_ name: String) -> Bool { attributes.contains { $0.name == name } }

    /// An INT attribute as `Int`, or nil when absent.
    mutating func int(_ name: String) throws(ONNXImportError) -> Int? {
        guard let attribute = try take(name, .int) else { return nil }
        return try narrow(attribute.int, name, attribute)
    }

    /// An INTS attribute as raw int64 values, or nil when absent.
    mutating func int64s(_ name: String) throws(ONNXImportError) -> [Int64]? {
        try take(name, .ints)?.ints
    }

    /// An INTS attribute as `Int`s, or nil when absent.
    mutating func ints(_ name: String) throws(ONNXImportError) -> [Int]? {
        guard let attribute = try take(name, .ints) else { return nil }
        var values: [Int] = []
        for value in attribute.ints { values.append(try narrow(value, name, attribute)) }
        return values
    }

    /// A FLOAT attribute, or nil when absent.
    mutating func float(_ name: String) throws(ONNXImportError) -> Float? {
        try take(name, .float)?.float
    }

    /// A FLOATS attribute, or nil when absent.
    mutating func floats(_ name: String) throws(ONNXImportError) -> [Float]? {
        try take(name, .floats)?.floats
    }

    /// A STRING attribute (decoded as UTF-8), or nil when absent.
    mutating func string(_ name: String) throws(ONNXImportError) -> String? {
        try take(name, .string)?.string
    }

    /// A TENSOR attribute converted to an engine tensor, or nil when absent.
    mutating func tensor(_ name: String) throws(ONNXImportError) -> Tensor? {
        guard let attribute = try take(name, .tensor) else { return nil }
        guard let message = attribute.tensor else {
            throw unsupported(name, "has type TENSOR but holds no tensor", attribute)
        }
        do {
            return try message.makeTensor(buffer: buffer, role: "attribute '\(name)'")
        } catch var error {
            error.node = node
            throw error
        }
    }

    /// Marks an attribute as understood without reading it (one with no effect on inference).
    mutating func ignore(_ name: String) {
        used.insert(name)
    }

    /// An error about attribute `name` whose value the engine cannot honour.
    func unsupported(_ name: String, _ problem: String, hint: String? = nil) -> ONNXImportError {
        unsupported(name, problem, attributes.first { $0.name == name }, hint: hint)
    }

    /// Throws for the first attribute the table did not read.
    func rejectUnread() throws(ONNXImportError) {
        if let attribute = attributes.first(where: { !used.contains($0.name) }) {
            throw unsupported(attribute.name, "is unknown to this importer", attribute)
        }
    }

    private mutating func take(_ name: String, _ kind: AttributeMessage.Kind) throws(ONNXImportError)
        -> AttributeMessage?
    {
        guard let attribute = attributes.first(where: { $0.name == name }) else { return nil }
        used.insert(name)
        guard attribute.kind == kind else {
            throw unsupported(name, "has type \(attribute.kind.name), expected \(kind.name)", attribute)
        }
        return attribute
    }

    private func narrow(_ value: Int64, _ name: String, _ attribute: AttributeMessage) throws(ONNXImportError) -> Int {
        guard let narrow = Int(exactly: value) else {
            throw unsupported(name, "value \(value) is out of range", attribute)
        }
        return narrow
    }

    private func unsupported(
        _ name: String, _ problem: String, _ attribute: AttributeMessage?, hint: String? = nil
    ) -> ONNXImportError {
        ONNXImportError(
            .unsupportedAttribute, "\(operatorType) attribute '\(name)' \(problem)",
            byteOffset: attribute?.byteOffset ?? nodeOffset,
            node: node, hint: hint)
    }
}
