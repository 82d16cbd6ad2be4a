import CCPUFeatures
import NeuralKernelsCore
import NeuralKernelsInt8AVX2
import NeuralKernelsInt8VNNI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The builds of the int8 kernels (Sources/KernelsInt8Shared, compiled twice like the float
/// kernels). There is no int8 build for CPUs without AVX2: there the engine keeps float32.
public enum Int8KernelVariant: String, Sendable, Hashable, CaseIterable {
    /// Built for Cascade Lake: AVX-512 BW/VL and VNNI (`vpdpbusd`).
    case avx512VNNI = "avx512-vnni"
    /// Built for Haswell: AVX2 (`vpmaddwd` + `vpaddd`).
    case avx2

    /// True when this CPU can execute the build.
    public var isSupported: Bool {
        #if arch(x86_64)
            switch self {
            case .avx512VNNI: facestream_cpu_has_avx512_vnni() != 0
            case .avx2: facestream_cpu_has_avx2_fma() != 0
            }
        #else
            false
        #endif
    }

    /// The fastest supported build, nil when there is none (the int8 precision then falls back
    /// to float32). The environment variable `FACESTREAM_INT8_KERNELS` (`avx512-vnni` or `avx2`)
    /// picks another supported one, or `none` acts as a CPU without them, for benchmarks and tests.
    public static let preferred: Int8KernelVariant? =
        getenv("FACESTREAM_INT8_KERNELS").map { String(cString: $0) } == "none"
        ? nil : fastestSupported(overriddenBy: "FACESTREAM_INT8_KERNELS")
}

extension Int8KernelVariant: KernelBuilds {}

/// How one run's input is quantised: `qx = clamp(round(x / scale) + zeroPoint, 0, 255)`, so
/// `x ~ scale * (qx - zeroPoint)`. From `Int8PointwiseConvolution.quantization(of:)`.
public struct Int8InputQuantization: Sendable, Equatable {
    /// Float value of one step (0 for an input that is all zeros).
    public var scale: Float
    /// The byte that stands for 0 (0 after a ReLU).
    public var zeroPoint: Int32

    public init(scale: Float, zeroPoint: Int32) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The quantisation a run finds for an input whose smallest and largest values are the ends
    /// of `range` (widened to include 0, as every run's range is): for an input whose range is
    /// known before it arrives. Values outside `range` are clamped to its ends when quantised.
    public init(range: ClosedRange<Float>) {
        let (scale, zeroPoint) = int8Quantization(lowest: range.lowerBound, highest: range.upperBound)
        self.init(scale: scale, zeroPoint: zeroPoint)
    }
}

/// A 1x1 convolution (stride 1, no padding, one group, batch 1, NCHW) in 8-bit integers:
///
///     out[o, p] = act(bias[o] + sx * sw[o] * sum_i qw[o, i] * (qx[i, p] - zx))
///
/// Weights are quantised once per output channel, symmetrically to -127...127 (`sw[o]` = largest
/// |w[o, i]| / 127). The input is quantised at each run, per tensor, to unsigned bytes 0...255
/// over its range widened to include 0 (`sx` = (max - min) / 255, zero point `zx`; after a ReLU
/// `zx` = 0), all rounded to nearest even. On AVX-512 VNNI each `vpdpbusd` adds four byte products
/// per 32-bit lane. Integer sums are exact; the float result differs from the float32 convolution
/// by the rounding of the two factors. Immutable after `init`; `run` does not allocate.
public struct Int8PointwiseConvolution: Sendable {
    enum Implementation: Sendable {
        case avx512VNNI(NeuralKernelsInt8VNNI.Int8PointwiseKernel)
        case avx2(NeuralKernelsInt8AVX2.Int8PointwiseKernel)
    }

    let implementation: Implementation
    public let variant: Int8KernelVariant
    public let inputChannels: Int
    public let outputChannels: Int
    /// Pixels of one plane (height * width).
    public let pixels: Int

    /// True when the output is written as bytes (made with `outputScales`).
    public let writesBytes: Bool

    /// Quantises `weights` (`outputChannels x inputChannels`, row-major) for a plane of `pixels`.
    /// With `outputScales` (one per output channel, each > 0) the output is written as unsigned
    /// bytes, `q = clamp(round(v / outputScales[o]), 0, 255)`, for a next layer that reads bytes
    /// (`Int8DepthwiseConvolution`); without, as floats.
    public init(
        inputChannels: Int, outputChannels: Int, pixels: Int, weights: [Float], bias: [Float]?, relu: Bool,
        variant: Int8KernelVariant, outputScales: [Float]? = nil
    ) {
        let bias = bias ?? [Float](repeating: 0, count: outputChannels)
        self.variant = variant
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.pixels = pixels
        writesBytes = outputScales != nil
        switch variant {
        case .avx512VNNI:
            implementation = .avx512VNNI(
                .init(
                    inputChannels: inputChannels, outputChannels: outputChannels, pixels: pixels, weights: weights,
                    bias: bias, relu: relu, outputScales: outputScales))
        case .avx2:
            implementation = .avx2(
                .init(
                    inputChannels: inputChannels, outputChannels: outputChannels, pixels: pixels, weights: weights,
                    bias: bias, relu: relu, outputScales: outputScales))
        }
    }

    /// Bytes of scratch each concurrent `run` needs for its quantised tile of the input (a
    /// multiple of 64; the kernel reads it fastest 64-byte aligned).
    public var tileBytes: Int {
        switch implementation {
        case .avx512VNNI(let k): k.tileBytes
        case .avx2(let k): k.tileBytes
        }
    }

    /// Pixel blocks (of 16) a run is split into by `run(input:quantization:tile:output:blocks:)`.
    public var blockCount: Int {
        switch implementation {
        case .avx512VNNI(let k): k.blockCount
        case .avx2(let k): k.blockCount
        }
    }

    /// The quantisation of this input (`inputChannels * pixels` floats, borrowed for the call):
    /// one read of it, on the calling thread, before the parts of a run.
    public func quantization(of input: UnsafePointer<Float>) -> Int8InputQuantization {
        let (scale, zeroPoint) =
            switch implementation {
            case .avx512VNNI(let k): k.quantization(of: input)
            case .avx2(let k): k.quantization(of: input)
            }
        return Int8InputQuantization(scale: scale, zeroPoint: zeroPoint)
    }

    /// `run` for an input that is already unsigned bytes of step `step` (zero point 0), planar
    /// (`inputChannels * pixels`), as an int8 layer before it wrote them (`Int8DepthwiseConvolution`
    /// with an output step): no range scan, and the tiles are packed, not quantised.
    public func run(
        inputBytes: UnsafePointer<UInt8>, step: Float, tile: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer,
        blocks: Range<Int>
    ) {
        switch implementation {
        case .avx512VNNI(let k): k.run(bytes: inputBytes, scale: step, tile: tile, output: output, blocks: blocks)
        case .avx2(let k): k.run(bytes: inputBytes, scale: step, tile: tile, output: output, blocks: blocks)
        }
    }

    /// Writes every output channel for the pixels of 16-pixel blocks `blocks`, quantising the
    /// input of each 64-pixel tile into `tile` (`tileBytes`, owned by this call) on the way.
    /// Disjoint ranges with their own tiles may run concurrently. `output` holds floats, or bytes
    /// (`writesBytes`). Pointers are borrowed for the call.
    public func run(
        input: UnsafePointer<Float>, quantization: Int8InputQuantization, tile: UnsafeMutableRawPointer,
        output: UnsafeMutableRawPointer, blocks: Range<Int>
    ) {
        let (scale, zeroPoint) = (quantization.scale, quantization.zeroPoint)
        switch implementation {
        case .avx512VNNI(let k):
            k.run(input: input, scale: scale, zeroPoint: zeroPoint, tile: tile, output: output, blocks: blocks)
        case .avx2(let k):
            k.run(input: input, scale: scale, zeroPoint: zeroPoint, tile: tile, output: output, blocks: blocks)
        }
    }
}
