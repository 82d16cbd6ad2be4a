import DetectionSinks
import FaceDetection
import Foundation
import Logging

/// What `facestream detect` was asked to do: photos, video files, streams and cameras.
public struct DetectRequest: Sendable {
    /// Inputs as given on the command line, processed in order.
    public var inputs: [String]
    /// `--model`, or nil for the locator's search.
    public var modelPath: String?
    /// Threads per network run (the video workers are `video.workers`).
    public var threads: Int
    public var scoreThreshold: Float
    public var iouThreshold: Float
    /// nil = stdout.
    public var outputPath: String?
    /// How video inputs are processed (photos ignore it).
    public var video: VideoOptions

    public init(
        inputs: [String], modelPath: String?, threads: Int, scoreThreshold: Float, iouThreshold: Float,
        outputPath: String?,
        video: VideoOptions = VideoOptions(workers: 1)
    ) {
        self.video = video
        self.inputs = inputs
        self.modelPath = modelPath
        self.threads = threads
        self.scoreThreshold = scoreThreshold
        self.iouThreshold = iouThreshold
        self.outputPath = outputPath
    }
}

/// Runs detection on photos and videos: one JSON line per photo (or analysed video frame), one
/// stderr line per input that could not be used; the other inputs are still processed.
public struct DetectRunner {
    let logger: Logger
    let loader: DetectorLoader
    let photos: PhotoLoader

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
        let model: LoadedModel
        let writer: JSONLinesWriter
        do {
            model = try loader.load(explicitPath: request.modelPath, threads: request.threads)
            logger.debug(
                "model \(model.path): read in \(Self.format(model.loadMilliseconds)) ms, compiled in \(Self.format(model.compileMilliseconds)) ms"
            )
            writer = try openOutput(request.outputPath)
        } catch {
            logger.error("\(error.message)")
            return error.exitCode
        }
        // Made at the first photo: its session's arena (3.7 MB for RFB-320, zero-filled) would otherwise stay
        // resident through video runs, whose workers make their own detectors.
        var photoDetector: FaceDetector?
        var failures = 0
        let videoRunner = VideoDetectionRunner(
            logger: logger, model: model, scoreThreshold: request.scoreThreshold, iouThreshold: request.iouThreshold,
            options: request.video)
        for input in request.inputs {
            if stopper.isStopped { break }
            do {
                if InputClassifier.classify(input) != .photo {
                    _ = try videoRunner.run(input: input, writer: writer, stopper: stopper)
                    continue
                }
                let image = try photos.load(path: input)
                if photoDetector == nil {
                    photoDetector = model.makeDetector(
                        scoreThreshold: request.scoreThreshold, iouThreshold: request.iouThreshold)
                }
                let faces = try photoDetector!.detect(in: image)
                let record = DetectionRecord(
                    source: input, frame: 0, pts: nil, width: image.width, height: image.height,
                    model: model.name, faces: faces.map(DetectionRecord.Face.init))
                do {
                    try writer.write(record)
                } catch {
                    logger.error("\(error.description)")
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
