/// The kernels a convolution can run on, chosen at creation from the geometry.
public enum ConvolutionStrategy: Sendable, Hashable {
    /// 1x1, stride 1, no padding, one group: one matrix product with packed weights.
    case pointwise
    /// 3x3 depthwise, dilation 1, horizontal stride 1 or 2: direct SIMD8 along each output row.
    case depthwise3x3
    /// 3x3 depthwise on maps under 24 columns with at least 8 channels: 8 channels in the vector
    /// lanes (blocks of 8; channels left over after the last block run as `depthwise3x3`).
    case interleavedDepthwise3x3
    /// Dense 3x3 over at most 4 input channels (a network's first layer), horizontal stride 1 or
    /// 2: direct, from padded input rows in scratch, 4 output channels x 24 columns per block.
    case stem3x3
    /// Dense, strided, dilated or grouped: im2col tiles in scratch, then the same matrix product.
    case im2col
    /// Dense stride-1 convolutions, one group, padded input up to 512 KiB: matrix products whose
    /// rows are shifted rows of one padded copy of the input (no im2col buffer).
    case shiftedRows
    /// Depthwise-like geometries without a fast path (one input channel per group), and
    /// everything else: the direct loop (no scratch).
    case generic
}
