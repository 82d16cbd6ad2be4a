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

    public func run(modelPath: String?, threads: Int, runs: Int, warmup: Int) -> FaceStreamExitCode {
        let model: LoadedModel
        do {
            model = try loader.load(explicitPath: modelPath, threads: threads)
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
        for index in 0..<(warmup + runs) {
            session.withInput { buffer in
                for i in 0..<buffer.count { buffer[i] = input[i] }
            }
            let start = clock.now
            session.run()
            let elapsed = DetectorLoader.milliseconds(clock.now - start)
            if index >= warmup { samples.append(elapsed) }
        }
        samples.sort()
        let median = samples.count % 2 == 1 ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
        let fields: [(String, String)] = [
            ("model", "\"\(model.name)\""),
            ("threads", "\(threads)"),
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
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
        return .success
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
