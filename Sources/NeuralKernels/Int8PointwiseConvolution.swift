import CCPUFeatures
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
    /// Built for Cascade Lake: AVX-512 BW/VL and VNNI (`vpdpwssd`).
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
    public static let preferred: Int8KernelVariant? = {
        let name = getenv("FACESTREAM_INT8_KERNELS").map { String(cString: $0) }
        if name == "none" { return nil }
        if let name, let variant = Int8KernelVariant(rawValue: name), variant.isSupported {
            return variant
        }
        return allCases.first { $0.isSupported }
    }()
}

/// A 1x1 convolution (stride 1, no padding, one group, batch 1, NCHW) in 8-bit integers:
///
///     out[o, p] = act(bias[o] + sx * sw[o] * sum_i qw[o, i] * qx[i, p])
///
/// with weights quantised once per output channel (`sw[o]` = largest |w[o, i]| / 127) and the
/// input quantised at each run per tensor (`sx` = largest |x| / 127), both rounded to nearest
/// even and held in -127...127. Integer sums are exact; the float result differs from the float32
/// convolution by the rounding of the two factors. Immutable after `init`; `run` does not allocate.
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

    /// Quantises `weights` (`outputChannels x inputChannels`, row-major) for a plane of `pixels`.
    public init(
        inputChannels: Int, outputChannels: Int, pixels: Int, weights: [Float], bias: [Float]?, relu: Bool,
        variant: Int8KernelVariant
    ) {
        let bias = bias ?? [Float](repeating: 0, count: outputChannels)
        self.variant = variant
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.pixels = pixels
        switch variant {
        case .avx512VNNI:
            implementation = .avx512VNNI(
                .init(
                    inputChannels: inputChannels, outputChannels: outputChannels, pixels: pixels, weights: weights,
                    bias: bias, relu: relu))
        case .avx2:
            implementation = .avx2(
                .init(
                    inputChannels: inputChannels, outputChannels: outputChannels, pixels: pixels, weights: weights,
                    bias: bias, relu: relu))
        }
    }

    /// Int16 elements of scratch for the quantised input (one buffer per run, shared by its parts).
    public var quantizedCount: Int {
        switch implementation {
        case .avx512VNNI(let k): k.quantizedCount
        case .avx2(let k): k.quantizedCount
        }
    }

    /// Pixel blocks (of 16) a run is split into by `run(quantized:scale:output:blocks:)`.
    public var blockCount: Int {
        switch implementation {
        case .avx512VNNI(let k): k.blockCount
        case .avx2(let k): k.blockCount
        }
    }

    /// Quantises the input into `quantized` (`quantizedCount` elements, overwritten) and returns
    /// the input's scale. Both pointers are borrowed for the call.
    public func quantize(input: UnsafePointer<Float>, quantized: UnsafeMutablePointer<Int16>) -> Float {
        switch implementation {
        case .avx512VNNI(let k): k.quantize(input: input, quantized: quantized)
        case .avx2(let k): k.quantize(input: input, quantized: quantized)
        }
    }

    /// Writes every output channel for the pixels of 16-pixel blocks `blocks` (disjoint ranges
    /// may run concurrently on the same quantised input).
    public func run(
        quantized: UnsafePointer<Int16>, scale: Float, output: UnsafeMutablePointer<Float>, blocks: Range<Int>
    ) {
        switch implementation {
        case .avx512VNNI(let k): k.run(quantized: quantized, scale: scale, output: output, blocks: blocks)
        case .avx2(let k): k.run(quantized: quantized, scale: scale, output: output, blocks: blocks)
        }
    }
}
