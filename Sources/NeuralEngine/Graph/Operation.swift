/// What a graph node computes, with its attributes already parsed and typed.
///
/// Semantics follow ONNX opset 9 (the UltraFace files) unless noted; the importer maps ONNX
/// operator names and attributes to these cases in one table.
public enum Operation: Sendable, Equatable {
    /// 2-D convolution, NCHW. Inputs: X, W (OIHW), optional B.
    case convolution(ConvolutionAttributes)
    /// Inference-mode batch normalisation. Inputs: X, scale, bias, mean, variance.
    case batchNormalization(epsilon: Float)
    case relu
    /// Inputs joined along `axis` (negative counts from the end).
    case concat(axis: Int)
    /// Inputs: data, shape (int64; 0 copies the input dimension, -1 is inferred).
    case reshape
    case transpose(permutation: [Int])
    /// Opset-9 softmax: the input is viewed as 2-D `[prod(dims[..<axis]), prod(dims[axis...])]`
    /// and softmax runs over the second dimension.
    case softmax(axis: Int)
    /// Element-wise with numpy-style broadcasting.
    case add, sub, mul, div
    case exp
    /// Opset-9 slice with the ranges as attributes; `axes == nil` means the first `starts.count` axes.
    /// Ends beyond the dimension (e.g. INT64_MAX) are clamped. Steps are 1.
    case slice(starts: [Int64], ends: [Int64], axes: [Int]?)
    /// Inputs: data, indices (int64).
    case gather(axis: Int)
    case unsqueeze(axes: [Int])
    /// Outputs the input's shape as a 1-D int64 tensor.
    case shape
    /// Outputs the tensor it holds.
    case constant(Tensor)
}

/// Attributes of a 2-D convolution.
public struct ConvolutionAttributes: Sendable, Equatable {
    /// Kernel height and width; nil means "from the weight tensor".
    public var kernelShape: [Int]?
    /// Vertical and horizontal stride.
    public var strides: [Int]
    /// Vertical and horizontal dilation.
    public var dilations: [Int]
    /// Padding as ONNX orders it: top, left, bottom, right.
    public var pads: [Int]
    /// Channel groups; equal to the input channels for a depthwise convolution.
    public var groups: Int

    public init(
        kernelShape: [Int]? = nil, strides: [Int] = [1, 1], dilations: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0],
        groups: Int = 1
    ) {
        self.kernelShape = kernelShape
        self.strides = strides
        self.dilations = dilations
        self.pads = pads
        self.groups = groups
    }
}
