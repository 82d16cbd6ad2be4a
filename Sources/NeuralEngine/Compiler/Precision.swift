import NeuralKernels

/// Arithmetic of the convolutions: float32 everywhere (the default), or 8-bit integers in the
/// convolutions of the network's body (`Int8Placement`: `QuantizedPointwiseLayer`,
/// `QuantizedSpatialLayer`) and, with a calibration, in the depthwise convolutions that read
/// bytes (`Int8ByteLinks`, `QuantizedDepthwiseLayer`); the rest in float32.
public enum Precision: String, Sendable, Hashable, CaseIterable {
    case float32 = "fp32"
    case int8

    /// The int8 kernel build this CPU runs, nil when it has none (then int8 compiles as float32).
    public static var int8Kernels: Int8KernelVariant? { Int8KernelVariant.preferred }
}

extension CompiledModel {
    /// Steps that run in 8-bit integers (0 at float32, or when the CPU has no int8 kernels).
    public var quantizedSteps: Int {
        layers.count {
            $0 is QuantizedPointwiseLayer || $0 is QuantizedSpatialLayer || $0 is QuantizedDepthwiseLayer
                || $0 is QuantizingReluLayer
        }
    }
}
