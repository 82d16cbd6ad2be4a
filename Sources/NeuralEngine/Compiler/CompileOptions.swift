/// Settings for compiling a graph into a `CompiledModel`.
public struct CompileOptions: Sendable, Equatable {
    /// Kernel threads used by one inference (large convolutions are split across them). At least 1.
    public var threads: Int
    /// Full static shapes for graph inputs, by input name; required where the graph declares a
    /// symbolic (nil) dimension, and must agree with the graph where it declares a fixed one.
    public var inputShapes: [String: [Int]]
    /// Largest arena (and largest single tensor) the compiler accepts, in bytes.
    public var memoryLimitBytes: Int
    /// Arithmetic of the convolutions that have an int8 kernel (see `Precision`).
    public var precision: Precision
    /// Static activation ranges for int8 (a calibration): the largest value of each channel of a
    /// ReLU output, by value name. Where an int8 layer's ReLU output has one and is read only by a
    /// layer that takes bytes, the layer writes bytes with step maximum / 255 (`Int8ByteLinks`).
    /// Empty: every int8 layer quantises its input per run.
    public var activationMaxima: [String: [Float]]
    /// The range every value of a graph input lies in, by input name, when the caller knows it in
    /// advance (an image normalised from bytes: UltraFace's `(byte - 127) / 128` is -127/128...1).
    /// An int8 convolution reading such an input quantises it over that range instead of finding
    /// the range at each run; a value outside it is clamped to the nearest end. With the range an
    /// image of bytes can take, every byte keeps its own step: nothing is lost. Float32 ignores it.
    public var inputRanges: [String: ClosedRange<Float>]

    public init(
        threads: Int = 1, inputShapes: [String: [Int]] = [:], memoryLimitBytes: Int = 2 << 30,
        precision: Precision = .float32, activationMaxima: [String: [Float]] = [:],
        inputRanges: [String: ClosedRange<Float>] = [:]
    ) {
        self.threads = threads
        self.inputShapes = inputShapes
        self.memoryLimitBytes = memoryLimitBytes
        self.precision = precision
        self.activationMaxima = activationMaxima
        self.inputRanges = inputRanges
    }
}
