/// What compilation did to a graph; printed by benchmarks and diagnostics.
public struct CompileSummary: Sendable, Equatable, CustomStringConvertible {
    /// Nodes in the graph as given.
    public var nodesBefore: Int = 0
    /// Steps executed per inference after all passes (aliased Reshapes are not steps).
    public var stepsAfter: Int = 0
    /// Nodes evaluated at compile time because all their inputs were constant (incl. Shape, Constant).
    public var constantsFolded: Int = 0
    /// BatchNormalization nodes merged into the preceding convolution's weights and bias.
    public var batchNormsFolded: Int = 0
    /// Relu nodes merged into the preceding convolution.
    public var relusFused: Int = 0
    /// 1x1 convolutions run in bands together with the depthwise convolution reading them.
    public var pointwiseDepthwisePairs: Int = 0
    /// Values handed from one int8 layer to the next as bytes (`Int8ByteLinks`).
    public var int8ByteLinks: Int = 0
    /// Nodes removed because nothing reads their outputs.
    public var deadNodesRemoved: Int = 0
    /// Reshape/Unsqueeze nodes that became views of their input (no copy).
    public var reshapesAliased: Int = 0
    /// Bytes of the activation arena each `InferenceSession` allocates.
    public var arenaBytes: Int = 0
    /// Sum of the sizes of all run-time values, i.e. the arena size without reuse.
    public var unplannedBytes: Int = 0
    /// Floats of convolution scratch each session allocates.
    public var scratchFloats: Int = 0

    public init() {}

    public var description: String {
        "nodes \(nodesBefore) -> steps \(stepsAfter); folded constants \(constantsFolded), BatchNorms \(batchNormsFolded), "
            + "fused ReLUs \(relusFused), 1x1+depthwise pairs \(pointwiseDepthwisePairs), int8 byte links \(int8ByteLinks), dead nodes \(deadNodesRemoved), aliased reshapes \(reshapesAliased); "
            + "arena \(arenaBytes) bytes (unplanned \(unplannedBytes)), scratch \(scratchFloats) floats"
    }
}
