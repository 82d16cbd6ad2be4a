/// A computation graph as loaded from a model file, before compilation.
///
/// Values are named by strings, as in ONNX. Nodes are listed in a valid execution order
/// (topologically sorted), which the importer checks.
public struct Graph: Sendable {
    /// A real run-time input: its name, element type and shape (a nil dimension is symbolic).
    public struct Input: Sendable, Equatable {
        public var name: String
        public var shape: [Int?]
        public init(name: String, shape: [Int?]) {
            self.name = name
            self.shape = shape
        }
    }

    /// One operation with the names of the values it reads and writes.
    public struct Node: Sendable, Equatable {
        /// The node name from the file (may be empty there; the importer then makes one up), used in errors.
        public var name: String
        public var operation: Operation
        /// Value names read, in the operator's order; "" marks an omitted optional input.
        public var inputs: [String]
        /// Value names written.
        public var outputs: [String]

        public init(name: String, operation: Operation, inputs: [String], outputs: [String]) {
            self.name = name
            self.operation = operation
            self.inputs = inputs
            self.outputs = outputs
        }
    }

    /// Run-time inputs (weights listed as inputs in old files are not here: they are in `constants`).
    public var inputs: [Input]
    /// Names of the values the caller gets back, in order.
    public var outputs: [String]
    /// Named constant tensors (weights, biases, folded values).
    public var constants: [String: Tensor]
    public var nodes: [Node]

    public init(inputs: [Input], outputs: [String], constants: [String: Tensor], nodes: [Node]) {
        self.inputs = inputs
        self.outputs = outputs
        self.constants = constants
        self.nodes = nodes
    }
}
