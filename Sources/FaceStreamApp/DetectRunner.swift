import DetectionSinks
import FaceDetection
import Foundation
import FrameProcessing
import Logging
import MQTTPublishing
import VideoCore

/// What `facestream detect` was asked to do: photos, video files, streams and cameras.
public struct DetectRequest: Sendable {
    /// Inputs as given on the command line, processed in order.
    public var inputs: [String]
    /// `--model`, or nil for the locator's search.
    public var modelPath: String?
    /// Threads per network run (the video workers are `video.workers`).
    public var threads: Int
    /// Score and NMS thresholds.
    public var thresholds: DetectionThresholds
    /// JSON lines destination; nil = stdout.
    public var outputPath: String?
    /// How video inputs are read and processed (photos use only its minimum face size).
    public var video: VideoOptions
    /// The outputs besides the JSON lines.
    public var outputs: OutputOptions
    /// Publish events and state to an MQTT broker (`--mqtt`); nil: no MQTT.
    public var mqtt: MQTTOptions?
    /// The network's input size (`--input-size`); the model's own by default.
    public var inputSize: InputSizeRequest = .model
    /// Overlapping tiles searched besides the whole frame (`--tiles`); off by default.
    public var tiles: TileRequest = .off
    /// Arithmetic of the network (`--precision`); float32 by default.
    public var precision: ModelPrecision = .float32

    /// A request with every field given.
    public init(
        inputs: [String], modelPath: String?, threads: Int, thresholds: DetectionThresholds, outputPath: String?,
        video: VideoOptions = VideoOptions(workers: 1), outputs: OutputOptions = OutputOptions(),
        mqtt: MQTTOptions? = nil
    ) {
        self.inputs = inputs
        self.modelPath = modelPath
        self.threads = threads
        self.thresholds = thresholds
        self.outputPath = outputPath
        self.video = video
        self.outputs = outputs
        self.mqtt = mqtt
    }
}

/// Runs detection on photos and videos: one JSON line per photo (or analysed video frame), one
/// stderr line per input that could not be used; the other inputs are still processed. Photos and
/// videos go through the same in-order processors and the same sinks.
public struct DetectRunner {
    let logger: Logger
    let loader: DetectorLoader
    let photos: PhotoLoader

    /// A runner loading models with `loader` and photos with `photos`.
    public init(
        logger: Logger = Logger(label: "facestream.detect"), loader: DetectorLoader = DetectorLoader(),
        photos: PhotoLoader = PhotoLoader()
    ) {
        self.logger = logger
        self.loader = loader
        self.photos = photos
    }

    /// Processes every input; returns the exit status to end with.
    public func run(_ request: DetectRequest, stopper: RunStopper = RunStopper()) -> FaceStreamExitCode {
        var mqtt: MQTTNode?
        if let options = request.mqtt {
            do {
                mqtt = try MQTTNode(options: options, logger: logger)
            } catch {
                logger.error("\(error.description)")
                return .usage
            }
        }
        mqtt?.start()
        let status = run(request, stopper: stopper, mqtt: mqtt)
        // Queued events get a bounded time to reach the broker; a refused connection (password,
        // TLS) makes the run fail at the end, after every frame was processed and written.
        if let mqtt, mqtt.finish() != nil, status == .success { return .someInputsFailed }
        return status
    }

    private func run(_ request: DetectRequest, stopper: RunStopper, mqtt: MQTTNode?) -> FaceStreamExitCode {
        let model: LoadedModel
        let writer: JSONLinesWriter
        do {
            model = try loader.load(
                explicitPath: request.modelPath, threads: request.threads, inputSize: request.inputSize,
                tiles: request.tiles, precision: request.precision)
            logger.debug(
                "model \(model.path): read in \(Self.format(model.loadMilliseconds)) ms, compiled in \(Self.format(model.compileMilliseconds)) ms, \(model.compiled.quantizedSteps) steps in int8, int8 calibration \(model.calibration?.rawValue ?? "none")"
            )
            if request.precision == .int8 && model.compiled.quantizedSteps == 0 {
                logger.warning("--precision int8: this CPU has no AVX2, so the model runs in fp32")
            }
            writer = try openOutput(request.outputPath)
        } catch {
            logger.error("\(error.message)")
            return error.exitCode
        }
        let sinks = SinkFactory(writer: writer, options: request.outputs, logger: logger, mqtt: mqtt)
        // Made at the first photo: its session's arena (3.7 MB for RFB-320, zero-filled) would otherwise stay
        // resident through video runs, whose workers make their own detectors.
        var photoDetector: (any FaceDetecting)?
        var failures = 0
        let videoRunner = VideoDetectionRunner(
            logger: logger, model: model, thresholds: request.thresholds, options: request.video, sinks: sinks)
        for input in request.inputs {
            if stopper.isStopped { break }
            do {
                if InputClassifier.classify(input) != .photo {
                    _ = try videoRunner.run(input: input, stopper: stopper)
                    continue
                }
                let image = try photos.load(path: input)
                if photoDetector == nil { photoDetector = model.makeDetector(request.thresholds) }
                let faces = try photoDetector!.detect(in: .rgb(image))
                let stage = InOrderStage(
                    processors: .standard(
                        minimumFaceSize: request.video.minimumFaceSize, ignoreZones: request.video.ignoreZones),
                    sinks: sinks.sinks(
                        for: SinkInput(
                            name: input, model: model.name, isPhoto: true, audioSource: nil, frameRate: { nil })))
                do {
                    try stage.open()
                } catch {
                    logger.error("\(error.description)")
                    return .outputFailed
                }
                stage.deliver(
                    FrameDetections(frame: VideoFrame(image: image, index: 0, pts: nil), sequence: 0, faces: faces))
                if let failure = stage.finish() {
                    logger.error("\(failure.description)")
                    return .outputFailed
                }
            } catch let error as FaceStreamError where error.exitCode == .outputFailed {
                logger.error("\(error.message)")
                return .outputFailed
            } catch let error as FaceStreamError {
                failures += 1
                logger.error("\(input): \(error.message)")
            } catch {
                failures += 1
                logger.error("\(input): \(error)")
            }
        }
        return failures == 0 ? .success : .someInputsFailed
    }

    private func openOutput(_ path: String?) throws(FaceStreamError) -> JSONLinesWriter {
        guard let path else { return .standardOutput() }
        do {
            return try JSONLinesWriter.file(atPath: path)
        } catch {
            throw FaceStreamError(.outputFailed, "\(error.description); choose a writable --output path")
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
