internal import CBuildInfo
import FFmpegMedia
import NeuralKernels

/// `facestream --version`: the version and commit, the FFmpeg libraries this process loads (or
/// why it cannot), and the kernel build the CPU gets.
public enum VersionReport {
    /// The release version.
    public static let version = "0.4.0"

    /// The commit the binary was built from ("development build" for plain `swift build`).
    public static var commit: String { String(cString: facestream_build_commit()) }

    /// The report, one fact per line.
    public static func text() -> String {
        var lines = ["facestream \(version) (\(commit))"]
        do {
            let libraries = try FFmpegRuntime.libraries()
            lines.append("FFmpeg: " + libraries.map(\.description).joined(separator: ", "))
        } catch {
            lines.append("FFmpeg: not loaded: \(error.description)")
        }
        let kernels =
            switch KernelVariant.preferred {
            case .fusedMultiplyAdd: "fma (AVX2 + FMA)"
            case .portable: "portable (base x86-64)"
            }
        lines.append("kernels: \(kernels)")
        return lines.joined(separator: "\n")
    }
}
