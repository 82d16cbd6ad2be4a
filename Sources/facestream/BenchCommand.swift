import ArgumentParser
import FaceStreamApp

/// `facestream bench`: network latency on a fixed input, as one JSON object.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the network alone on a fixed input; prints one JSON object.",
        discussion: "Build with `swift build -c release` first: debug builds are not representative.")

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var inputSizeOptions: InputSizeOptions

    @Option(name: .long, help: "Timed runs (after the warm-up).")
    var runs: Int = 50

    @Option(name: .long, help: "Untimed warm-up runs.")
    var warmup: Int = 5

    @Flag(name: .long, help: "Also time every step and print the per-step table on stderr.")
    var profile = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        if try inputSizeOptions.request() == .auto {
            throw ValidationError("--input-size auto follows a video's aspect ratio; bench needs WIDTHxHEIGHT")
        }
    }

    func run() throws {
        Logging.bootstrap()
        let status = NetworkBenchmark().run(
            modelPath: modelOptions.model, threads: modelOptions.threads ?? 1, runs: runs, warmup: warmup,
            profile: profile, inputSize: try inputSizeOptions.request(), precision: modelOptions.precision)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
