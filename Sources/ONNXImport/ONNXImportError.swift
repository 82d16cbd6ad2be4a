/// Why an ONNX file could not be turned into a `Graph`: a code to switch on, what went wrong and where.
///
/// The description is one line: the file (when known), what happened, the byte offset and protobuf
/// field or the node, and a hint when there is something the user can do.
/// Example: `model.onnx: truncated varint at byte 1184 in NodeProto.input`.
public struct ONNXImportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure.
    public enum Code: String, Sendable, Equatable {
        /// The file could not be read from disk.
        case unreadableFile
        /// The bytes end in the middle of a value or message.
        case truncated
        /// The bytes are not a valid protobuf encoding of an ONNX model, or values contradict each other.
        case malformed
        /// An operator (op_type and domain) that the operator table does not map.
        case unsupportedOperator
        /// An attribute that is unknown, of the wrong type or has a value the engine cannot honour.
        case unsupportedAttribute
        /// A tensor keeps its data in a separate file.
        case externalData
        /// The nodes, inputs and outputs do not form a valid graph (undefined values, wrong order).
        case invalidGraph
        /// A tensor or input element type the engine does not support.
        case unsupportedDataType
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, e.g. "truncated varint".
    public var what: String
    /// Byte offset in the model file where reading failed, when the failure is about bytes.
    public var byteOffset: Int?
    /// The protobuf message and field being read, e.g. "NodeProto.input".
    public var field: String?
    /// The node concerned (its name from the file, or a generated "#12 Conv").
    public var node: String?
    /// The model file, when loading from a URL.
    public var file: String?
    /// What the user can do about it, when there is something.
    public var hint: String?

    /// Creates an error; see the properties for the meaning of each part.
    public init(
        _ code: Code, _ what: String, byteOffset: Int? = nil, field: String? = nil, node: String? = nil,
        file: String? = nil, hint: String? = nil
    ) {
        self.code = code
        self.what = what
        self.byteOffset = byteOffset
        self.field = field
        self.node = node
        self.file = file
        self.hint = hint
    }

    public var description: String {
        var text = file.map { "\($0): " } ?? ""
        // Say "truncated" in so many words: a user can act on that (copy the file again).
        if code == .truncated && !what.contains("truncated") { text += "the file is truncated: " }
        text += what
        if let byteOffset { text += " at byte \(byteOffset)" }
        if let field { text += " in \(field)" }
        if let node { text += " (node '\(node)')" }
        if let hint { text += "; \(hint)" }
        // Names come from the file: keep the message on one line whatever they contain.
        return String(
            String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }
}
