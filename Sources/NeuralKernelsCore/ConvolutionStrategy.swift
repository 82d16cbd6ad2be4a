/// The kernels a convolution can run on, chosen at creation from the geometry.
public enum ConvolutionStrategy: Sendable, Hashable {
    /// 1x1, stride 1, no padding, one group: one matrix product with packed weights.
    case pointwise
    /// 3x3 depthwise, dilation 1, horizontal stride 1 or 2: direct SIMD8 along each output row.
    case depthwise3x3
    /// Dense, strided, dilated or grouped: im2col tiles in scratch, then the same matrix product.
    case im2col
    /// Depthwise-like geometries without a fast path (one input channel per group), and
    /// everything else: the direct loop (no scratch).
    case generic
}
