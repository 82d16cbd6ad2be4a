import CCPUFeatures
import NeuralKernelsInt8VBMI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A 3x3 depthwise convolution (one channel per group, padding 1 on every side, stride 1 or 2 on
/// both axes; batch 1, planar) on unsigned bytes, writing floats: the reading end of the int8
/// byte chain, after an int8 convolution that wrote its ReLU output as bytes
/// (`Int8PointwiseConvolution`'s `outputScales`).
///
///     out[c, y, x] = act(bias[c] + sx[c] * sw[c] * sum_{ky,kx} qw[c, ky, kx] * q[c, s*y - 1 + ky, s*x - 1 + kx])
///
/// with input value `sx[c] * q` (zero point 0; positions outside the picture are 0), and weights
/// quantised once per channel, symmetrically to -127...127 (`sw[c]` = largest |w| / 127). The
/// integer sums are exact; the float is `bias[c] + Float(sum) * (sx[c] * sw[c])` in one fused
/// multiply-add. Needs AVX-512
/// VBMI and VNNI (Ice Lake, Zen 4 and later; `isSupported`). Immutable after `init`; `run` does
/// not allocate.
public struct Int8DepthwiseConvolution: Sendable {
    let kernel: Int8DepthwiseKernel

    /// True when this CPU runs the kernel. The environment variable `FACESTREAM_INT8_DEPTHWISE=none`
    /// makes it false (for tests and comparisons: the depthwise layers then stay float32).
    public static let isSupported: Bool = {
        #if arch(x86_64)
            if getenv("FACESTREAM_INT8_DEPTHWISE").map({ String(cString: $0) }) == "none" { return false }
            return facestream_cpu_has_avx512_vbmi() != 0
        #else
            return false
        #endif
    }()

    public var channels: Int { kernel.channels }
    public var stride: Int { kernel.stride }
    public var outputHeight: Int { kernel.outputHeight }
    public var outputWidth: Int { kernel.outputWidth }

    /// True when the output is written as bytes (made with `outputStep`).
    public var writesBytes: Bool { kernel.writesBytes }

    /// `weights`: `channels * 9` ([c][ky][kx]); `bias` (nil: zeros) and `inputScales` (each > 0)
    /// one per channel. With `outputStep` (> 0) the output is written as bytes of that step,
    /// `clamp(round(v / outputStep), 0, 255)` (1 / step folded into the multiply-add, so a value
    /// within a rounding error of a half step may round to the neighbouring byte), for a next
    /// layer that reads bytes (`Int8PointwiseConvolution`'s `inputStep`). Requires `isSupported`.
    public init(
        channels: Int, inputHeight: Int, inputWidth: Int, stride: Int, weights: [Float], bias: [Float]?, relu: Bool,
        inputScales: [Float], outputStep: Float? = nil
    ) {
        precondition(Self.isSupported, "the int8 depthwise kernel needs AVX-512 VBMI and VNNI")
        precondition(inputScales.allSatisfy { $0 > 0 && $0.isFinite })
        precondition(outputStep.map { $0 > 0 && $0.isFinite } ?? true)
        kernel = Int8DepthwiseKernel(
            channels: channels, inputHeight: inputHeight, inputWidth: inputWidth, stride: stride, weights: weights,
            bias: bias ?? [Float](repeating: 0, count: channels), relu: relu, inputScales: inputScales,
            outputStep: outputStep)
    }

    /// Writes the output channels in `channels` (`outputHeight * outputWidth` per channel: floats,
    /// or bytes with `writesBytes`) from the input bytes (`channels * inputHeight * inputWidth`,
    /// planar; only those bytes are read). Concurrent calls need disjoint channel ranges. Pointers
    /// are borrowed for the call.
    public func run(input: UnsafePointer<UInt8>, output: UnsafeMutableRawPointer, channels: Range<Int>) {
        precondition(channels.lowerBound >= 0 && channels.upperBound <= kernel.channels)
        kernel.run(input: input, output: output, channels: channels)
    }
}

extension Int8DepthwiseConvolution {
    /// ReLU and quantisation to bytes for a depthwise convolution's input that a float layer
    /// produces: `output[c * planeSize + i] = clamp(round(max(0, x) * inverseSteps[c]), 0, 255)`,
    /// rounded to nearest even; one inverse step per plane. The input must be finite. Requires
    /// `isSupported`. Pointers are borrowed for the call.
    public static func quantizeReLU(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<UInt8>, planeSize: Int,
        inverseSteps: UnsafeBufferPointer<Float>
    ) {
        precondition(isSupported, "the int8 byte chain needs AVX-512 VBMI and VNNI")
        int8QuantizeReLU(
            input: input, output: output, planes: inverseSteps.count, planeSize: planeSize,
            inverses: inverseSteps.baseAddress!)
    }
}
