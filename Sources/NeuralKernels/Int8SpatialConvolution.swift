import NeuralKernelsCore
import NeuralKernelsInt8AVX2
import NeuralKernelsInt8VNNI

/// A KxK convolution with one group (any stride, padding and dilation; batch 1, NCHW) in
/// 8-bit integers, quantised like `Int8PointwiseConvolution` (weights per output channel, the input
/// per tensor at each run, positions outside the picture at the zero point):
///
///     out[o, y, x] = act(bias[o] + sx * sw[o] * sum_{i,ky,kx} qw[o, i, ky, kx] * (qx[i, y', x'] - zx))
///     y' = y * strideY - padTop + ky * dilationY,  x' = x * strideX - padLeft + kx * dilationX
///
/// A run quantises the whole input once into a padded image (split into stride phases) (`quantizedBytes` of scratch, on the
/// calling thread), then blocks of 16 output pixels of a row may run on several threads. Integer
/// sums are exact. Immutable after `init`; `run` does not allocate.
public struct Int8SpatialConvolution: Sendable {
    enum Implementation: Sendable {
        case avx512VNNI(NeuralKernelsInt8VNNI.Int8SpatialKernel)
        case avx2(NeuralKernelsInt8AVX2.Int8SpatialKernel)
    }

    let implementation: Implementation
    public let variant: Int8KernelVariant
    public let geometry: ConvolutionGeometry

    /// True when `geometry` is one this kernel runs: one group.
    public static func supports(_ geometry: ConvolutionGeometry) -> Bool {
        geometry.groups == 1 && geometry.isValid
    }

    /// True when the output is written as bytes (made with `outputScales`).
    public let writesBytes: Bool

    /// Quantises `weights` (OIHW) for `geometry` (which `supports` must accept). `outputScales`
    /// writes the output as bytes, as in `Int8PointwiseConvolution.init`.
    public init(
        geometry: ConvolutionGeometry, weights: [Float], bias: [Float]?, relu: Bool, variant: Int8KernelVariant,
        outputScales: [Float]? = nil
    ) {
        let bias = bias ?? [Float](repeating: 0, count: geometry.outputChannels)
        self.variant = variant
        self.geometry = geometry
        writesBytes = outputScales != nil
        switch variant {
        case .avx512VNNI:
            implementation = .avx512VNNI(
                .init(geometry: geometry, weights: weights, bias: bias, relu: relu, outputScales: outputScales))
        case .avx2:
            implementation = .avx2(
                .init(geometry: geometry, weights: weights, bias: bias, relu: relu, outputScales: outputScales))
        }
    }

    /// Bytes of scratch for the padded quantised input (one per run, shared by its parts).
    public var quantizedBytes: Int {
        switch implementation {
        case .avx512VNNI(let k): k.quantizedBytes
        case .avx2(let k): k.quantizedBytes
        }
    }

    /// Blocks (16 output pixels of a row) a run is split into by `run(quantized:quantization:output:blocks:)`.
    public var blockCount: Int {
        switch implementation {
        case .avx512VNNI(let k): k.blockCount
        case .avx2(let k): k.blockCount
        }
    }

    /// The quantisation of this input (`geometry.inputCount` floats, borrowed for the call).
    public func quantization(of input: UnsafePointer<Float>) -> Int8InputQuantization {
        let (scale, zeroPoint) =
            switch implementation {
            case .avx512VNNI(let k): k.quantization(of: input)
            case .avx2(let k): k.quantization(of: input)
            }
        return Int8InputQuantization(scale: scale, zeroPoint: zeroPoint)
    }

    /// Writes the padded quantised image of `input` into `quantized` (`quantizedBytes`,
    /// overwritten). Pointers are borrowed for the call.
    public func quantize(
        input: UnsafePointer<Float>, quantization: Int8InputQuantization, into quantized: UnsafeMutableRawPointer
    ) {
        switch implementation {
        case .avx512VNNI(let k):
            k.quantize(input: input, scale: quantization.scale, zeroPoint: quantization.zeroPoint, into: quantized)
        case .avx2(let k):
            k.quantize(input: input, scale: quantization.scale, zeroPoint: quantization.zeroPoint, into: quantized)
        }
    }

    /// Writes every output channel for the pixels of `blocks` from the padded image (disjoint
    /// ranges may run concurrently on the same image). `output` holds floats, or bytes
    /// (`writesBytes`). Pointers are borrowed for the call.
    public func run(
        quantized: UnsafeRawPointer, quantization: Int8InputQuantization, output: UnsafeMutableRawPointer,
        blocks: Range<Int>
    ) {
        let (scale, zeroPoint) = (quantization.scale, quantization.zeroPoint)
        switch implementation {
        case .avx512VNNI(let k):
            k.run(quantized: quantized, scale: scale, zeroPoint: zeroPoint, output: output, blocks: blocks)
        case .avx2(let k):
            k.run(quantized: quantized, scale: scale, zeroPoint: zeroPoint, output: output, blocks: blocks)
        }
    }
}
