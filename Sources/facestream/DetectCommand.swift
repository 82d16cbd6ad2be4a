import ArgumentParser
import FaceStreamApp

/// `facestream detect`: faces in photos, one JSON line per input.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect faces in photos; one JSON line per input on stdout (or --output).",
        discussion: """
            Reads JPEG (decoded exactly like the reference, with libjpeg-turbo), PNG and the other image
            formats FFmpeg decodes. A bad input is reported on stderr and skipped; the exit status is 1
            when any input failed.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "Score threshold: faces scoring above it are reported (0 < t < 1).")
    var threshold: Float = 0.7

    @Option(name: .long, help: "IoU above which non-maximum suppression drops the weaker of two boxes (0...1).")
    var iou: Float = 0.3

    @Option(name: [.short, .long], help: ArgumentHelp("Write the JSON lines to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "Log more (model compile summary, timings) on stderr.")
    var verbose = false

    @Argument(help: ArgumentHelp("Photos to analyse.", valueName: "input"))
    var inputs: [String]

    func validate() throws {
        guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be between 0 and 1 (exclusive), got \(threshold)") }
        guard iou >= 0, iou <= 1 else { throw ValidationError("--iou must be between 0 and 1, got \(iou)") }
        guard !inputs.isEmpty else { throw ValidationError("give at least one input photo") }
    }

    func run() throws {
        Logging.bootstrap(verbose: verbose)
        let request = PhotoDetectionRequest(
            inputs: inputs, modelPath: modelOptions.model, threads: modelOptions.threads,
            scoreThreshold: threshold, iouThreshold: iou, outputPath: output)
        let status = PhotoDetectionRunner().run(request)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
