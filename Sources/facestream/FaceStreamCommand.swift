import ArgumentParser
import FFmpegMedia
import FaceStreamApp
import Foundation
import Logging

/// The `facestream` command: only subcommands live here. Synchronous: `run` bridges to its services
/// itself, so `detect` runs on the main thread without the async runtime.
@main
struct FaceStreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facestream",
        abstract:
            "Detect faces in photos, videos, network streams and cameras with the UltraFace models, in pure Swift.",
        subcommands: [
            DetectCommand.self, RunCommand.self, CheckConfigCommand.self, DevicesCommand.self, ModelsCommand.self,
            BenchCommand.self,
        ]
    )

    @Flag(
        name: .long, help: "Print the version and commit, the FFmpeg libraries loaded and the kernel build, then exit.")
    var version = false

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(VersionReport.text())
    }
}

/// Options every command that loads a model shares.
struct ModelOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "UltraFace .onnx model file (default: $FACESTREAM_MODEL, else version-RFB-320.onnx in the models directory).",
            valueName: "path"))
    var model: String?

    @Option(
        name: .long,
        help:
            "detect: workers analysing video frames in parallel (default: the number of CPUs); bench: threads per network run (default 1)."
    )
    var threads: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Arithmetic of the network: fp32, or int8 (the convolutions of the network's body in 8-bit integers with AVX-512 VNNI or AVX2; fp32 on CPUs without them).",
            valueName: "fp32|int8"))
    var precision: ModelPrecision = .float32

    func validate() throws {
        if let threads, !(1...256).contains(threads) {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
    }
}

extension ModelPrecision: ExpressibleByArgument {}

/// Bootstraps swift-log once for the process: our stderr/journald format. With `--verbose`,
/// FFmpeg's own messages go through the same handler from debug up; otherwise they are dropped,
/// since every failure they describe is reported in one line of ours (FFmpeg logs even a
/// non-picture input at its fatal level). Does not load FFmpeg.
enum Logging {
    static func bootstrap(verbose: Bool = false) {
        LoggingSystem.bootstrap { label in ConsoleLogHandler(label: label, level: verbose ? .debug : .info) }
        if verbose {
            var ffmpeg = Logger(label: "ffmpeg")
            ffmpeg.logLevel = .debug
            FFmpegLog.bootstrap(ffmpeg)
        }
    }
}

/// Signal dispositions the whole process needs that are not about stopping: a write past a file
/// size limit (`ulimit -f`, RLIMIT_FSIZE) must fail with EFBIG, which the outputs report (exit 74)
/// and clean up after (a JSON-lines file keeps only whole lines), instead of killing the process
/// with SIGXFSZ.
enum ProcessDefaults {
    static func apply() {
        signal(SIGXFSZ, SIG_IGN)
    }
}
