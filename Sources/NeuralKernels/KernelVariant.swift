import CCPUFeatures

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The two builds of the convolution kernels. The same sources are compiled twice; which one
/// runs is chosen at run time, so an x86-64 binary runs on CPUs without AVX2.
public enum KernelVariant: String, Sendable, Hashable, CaseIterable {
    /// Fused multiply-add kernels: built for AVX2+FMA (Haswell and later) on x86-64, for the
    /// base instruction set on other architectures (aarch64 has FMA and NEON everywhere).
    case fusedMultiplyAdd = "fma"
    /// Base x86-64 (SSE2) kernels with separate multiply and add.
    case portable

    /// True when this CPU can execute the variant.
    public var isSupported: Bool {
        switch self {
        case .portable: true
        case .fusedMultiplyAdd:
            #if arch(x86_64) || arch(i386)
                facestream_cpu_has_avx2_fma() != 0
            #else
                true
            #endif
        }
    }

    /// The fastest supported variant, unless the environment variable `FACESTREAM_KERNELS`
    /// names another supported one (`fma` or `portable`; for benchmarks and checks).
    public static let preferred: KernelVariant = fastestSupported(overriddenBy: "FACESTREAM_KERNELS") ?? .portable
}

/// A set of kernel builds listed fastest first, each of which may or may not run on this CPU.
protocol KernelBuilds: CaseIterable, RawRepresentable where RawValue == String {
    var isSupported: Bool { get }
}

extension KernelBuilds {
    /// The build the environment variable `variable` names, when this CPU runs it; otherwise the
    /// first (fastest) supported build, nil when none is.
    static func fastestSupported(overriddenBy variable: String) -> Self? {
        if let name = getenv(variable).map({ String(cString: $0) }), let build = Self(rawValue: name),
            build.isSupported
        {
            return build
        }
        return allCases.first { $0.isSupported }
    }
}

extension KernelVariant: KernelBuilds {}
