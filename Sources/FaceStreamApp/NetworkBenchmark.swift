import FaceDetection
import Foundation
import Logging
import NeuralEngine

/// `facestream bench`: times the network alone (no decoding, no post-processing) on a fixed
/// pseudo-random input and prints one JSON object on stdout.
public struct NetworkBenchmark {
    let logger: Logger
    let loader: DetectorLoader

    public init(logger: Logger = Logger(label: "facestream.bench"), loader: DetectorLoader = DetectorLoader()) {
        self.logger = logger
        self.loader = loader
    }

    public func run(
        modelPath: String?, threads: Int, runs: Int, warmup: Int, profile: Bool = false,
        inputSize: InputSizeRequest = .model, precision: Precision = .float32
    ) -> FaceStreamExitCode {
        let model: LoadedModel
        do {
            model = try loader.load(
                explicitPath: modelPath, threads: threads, inputSize: inputSize, precision: precision)
        } catch {
            logger.error("\(error.message)")
            return error.exitCode
        }
        let shape = model.compiled.inputs[0].shape
        let input = Self.fixedInput(count: shape.reduce(1, *))
        let session = model.compiled.makeSession()
        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        // The timed region is the network only: the input is copied into the session's arena
        // before the clock starts, and outputs stay in place.
        let counter = Self.mallocCounter()
        var allocationsBefore = 0
        for index in 0..<(warmup + runs) {
            if index == warmup, let counter { allocationsBefore = counter() }
            session.withInput { buffer in
                for i in 0..<buffer.count { buffer[i] = input[i] }
            }
            let start = clock.now
            session.run()
            let elapsed = DetectorLoader.milliseconds(clock.now - start)
            if index >= warmup { samples.append(elapsed) }
        }
        // Read straight away, with no generic call in between (`Optional.map` with a closure made
        // the runtime build type metadata, 3 allocations in a debug build, on its first use).
        var allocations: Int?
        if let counter { allocations = counter() - allocationsBefore }
        if profile { Self.printProfile(session: session, runs: runs) }
        samples.sort()
        let median =
            samples.count % 2 == 1
            ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
        let fields: [(String, String)] =
            [
                ("model", "\"\(model.name)\""),
                ("threads", "\(threads)"),
                ("precision", "\"\(model.precision.rawValue)\""),
                ("int8_steps", "\(model.compiled.quantizedSteps)"),
                ("int8_calibration", model.calibration.map { "\"\($0.rawValue)\"" } ?? "null"),
                ("int8_byte_links", "\(model.compiled.summary.int8ByteLinks)"),
                ("runs", "\(runs)"),
                ("warmup", "\(warmup)"),
                ("input_shape", "[\(shape.map(String.init).joined(separator: ","))]"),
                ("median_ms", Self.number(median)),
                ("min_ms", Self.number(samples.first!)),
                ("max_ms", Self.number(samples.last!)),
                ("mean_ms", Self.number(samples.reduce(0, +) / Double(samples.count))),
                ("load_ms", Self.number(model.loadMilliseconds)),
                ("compile_ms", Self.number(model.compileMilliseconds)),
                ("build", "\"\(Self.buildConfiguration)\""),
            ]
            + (allocations.map {
                [("heap_allocations", "\($0)"), ("heap_allocations_per_run", Self.number(Double($0) / Double(runs)))]
            } ?? [])
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
        return .success
    }

    /// `malloc_count_get` from a malloc-counting shim loaded with LD_PRELOAD (see
    /// docs/performance.md), or nil: with it the output gains `heap_allocations` (over the timed
    /// runs) and `heap_allocations_per_run`.
    static func mallocCounter() -> (@convention(c) () -> Int)? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_count_get") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) () -> Int).self)
    }

    /// Times every step over `runs` further runs and prints them on stderr, slowest first.
    static func printProfile(session: InferenceSession, runs: Int) {
        let steps = session.model.stepDescriptions
        var seconds = [Double](repeating: 0, count: steps.count)
        seconds.withUnsafeMutableBufferPointer { buffer in
            for _ in 0..<runs { session.runProfiled(accumulating: buffer) }
        }
        let total = seconds.reduce(0, +)
        var lines =
            "step profile: \(steps.count) steps, \(number(total / Double(runs) * 1000)) ms per run (sum of steps)\n"
        let multiplyAdds = session.model.stepMultiplyAdds
        for index in seconds.indices.sorted(by: { seconds[$0] > seconds[$1] }) {
            let ms = seconds[index] / Double(runs) * 1000
            // GFLOP/s counts a multiply-add as two operations, as peak figures do.
            let rate =
                multiplyAdds[index] > 0
                ? String(format: "%6.1f GFLOP/s", 2e-6 * Double(multiplyAdds[index]) / ms)
                : String(repeating: " ", count: 14)
            lines +=
                String(format: "%3d %8.4f ms %5.1f%% ", index, ms, 100 * seconds[index] / total) + rate + "  "
                + steps[index] + "\n"
        }
        FileHandle.standardError.write(Data(lines.utf8))
    }

    /// Deterministic input in the network's value range (multiples of 1/128 in [-1, 1)).
    static func fixedInput(count: Int) -> [Float] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int((state >> 33) % 256) - 127) / 128
        }
    }

    static func number(_ value: Double) -> String { String(format: "%.4f", value) }

    #if DEBUG
        static let buildConfiguration = "debug"
    #else
        static let buildConfiguration = "release"
    #endif
}
