/// Every failure the engine reports: compiling a graph or running a compiled model.
///
/// Anything a model file or a caller can get wrong throws this error; the engine traps only on
/// broken internal invariants.
public struct EngineError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, to switch on.
    public enum Code: Sendable, Equatable {
        /// An operator, or an operator with these attributes/shapes/element types, is not supported.
        case unsupported
        /// Input shapes do not fit the operator (the message names the node and the shapes).
        case shapeMismatch
        /// A node reads a value that no node, input or constant provides.
        case missingValue
        /// The graph itself is malformed (duplicate names, bad attributes, symbolic dimensions left).
        case invalidGraph
        /// A tensor or the planned memory would exceed the engine's size limit.
        case tooLarge
        /// The caller passed input data of the wrong size (or a bad input index) at run time.
        case invalidInput
    }

    public var code: Code
    /// The graph node involved, when there is one.
    public var node: String?
    /// Human-readable detail.
    public var message: String

    public init(_ code: Code, node: String? = nil, _ message: String) {
        self.code = code
        self.node = node
        self.message = message
    }

    public var description: String {
        if let node { return "\(code) at node '\(node)': \(message)" }
        return "\(code): \(message)"
    }
}
