import DetectionSinks
import FFmpegMedia
import FaceDetection
import Foundation
import FramePipeline
import Logging
import V4L2Capture
import VideoCore

/// Frame-selection and output options for video inputs.
public struct VideoOptions: Sendable {
    /// Detect workers (each with its own inference session).
    public var workers: Int
    public var selection: FrameSelection
    /// Faces narrower or lower than this many pixels are dropped.
    public var minimumFaceSize: Int?
    /// Write only frames with at least one face.
    public var onlyFaces: Bool
    /// Write an annotated copy of the video.
    public var annotation: AnnotationRequest?
    /// Timeouts and reconnect policy of network sources.
    public var source: VideoSourceOptions
    /// Size, rate, pixel format, buffers and timeouts for camera inputs.
    public var camera: V4L2CameraOptions

    public init(
        workers: Int, selection: FrameSelection = .all, minimumFaceSize: Int? = nil, onlyFaces: Bool = false,
        annotation: AnnotationRequest? = nil, source: VideoSourceOptions = VideoSourceOptions(),
        camera: V4L2CameraOptions = V4L2CameraOptions()
    ) {
        self.annotation = annotation
        self.source = source
        self.camera = camera
        self.workers = workers
        self.selection = selection
        self.minimumFaceSize = minimumFaceSize
        self.onlyFaces = onlyFaces
        self.camera = camera
    }
}

/// A detector per worker thread, made there from the shared compiled model.
struct DetectorAnalyzer: FrameAnalyzing {
    let detector: FaceDetector
    mutating func analyze(_ frame: VideoFrame) throws -> [Detection] {
        if let picture = frame.sampled { return try detector.detect(in: picture) }
        if let picture = frame.yuv420 { return try detector.detect(in: picture) }
        return try detector.detect(in: frame.image)
    }
}

/// Runs one video input through the pipeline: decode thread -> detect workers -> JSON lines in
/// frame order. SIGINT/SIGTERM stop the source; frames already read are still written.
public struct VideoDetectionRunner {
    let logger: Logger
    let model: LoadedModel
    let scoreThreshold: Float
    let iouThreshold: Float
    let options: VideoOptions
    /// Called once the pipeline is built, before frames flow: hands live counters to a caller
    /// that reports progress (the daemon's status, watchdog and metrics).
    public var onStart: (@Sendable (VideoRunProbe) -> Void)? = nil
    /// Called on the sink thread, in frame order, with the time the detector spent on each
    /// analysed frame (the daemon's latency histogram). Must not block or allocate.
    public var onAnalysis: (@Sendable (Duration) -> Void)? = nil

    /// A runner for `model` with the detector's thresholds and the video options; `run` may be
    /// called once per input.
    public init(
        logger: Logger, model: LoadedModel, scoreThreshold: Float, iouThreshold: Float, options: VideoOptions
    ) {
        self.logger = logger
        self.model = model
        self.scoreThreshold = scoreThreshold
        self.iouThreshold = iouThreshold
        self.options = options
    }

    /// Reads `input` to its end (or until `stopper` stops it) on the calling thread, writing
    /// JSON lines through `writer`; returns the pipeline's counters.
    public func run(input: String, writer: JSONLinesWriter, stopper: RunStopper) throws -> PipelineStatistics {
        let source: any FrameSource
        if InputClassifier.classify(input) == .camera {
            source = V4L2Camera(device: input, options: options.camera, logger: logger)
        } else {
            do {
                var sourceOptions = options.source
                if sourceOptions.decoderThreads == 0 {
                    // The detect workers keep the cores busy; more decoder threads only add frames held
                    // in the decoder (3 MB each at 1080p) without adding throughput.
                    sourceOptions.decoderThreads = max(
                        1, ProcessInfo.processInfo.activeProcessorCount - options.workers)
                }
                if options.annotation == nil {
                    // Only the detector reads pixels (JSON output): the decode thread converts just the
                    // pixels its resize reads, straight from the decoder's planes, and resizes them to
                    // the network input, so frames in flight carry 0.23 MB (320x240) each.
                    sourceOptions.sampling =
                        InputTensorBuilder(width: model.layout.inputWidth, height: model.layout.inputHeight)
                        .resizedSampling
                }
                source = try FFmpegVideoSource(VideoInput(argument: input), options: sourceOptions, logger: logger)
            } catch {
                throw FaceStreamError(.missingInput, error.description)
            }
        }
        // Probing the stream and loading the model freed memory on this thread that would stay resident.
        MallocTuning.releaseFreePages()
        // Files wait for the workers instead of dropping, so short queues lose nothing and hold fewer
        // frames; live sources keep the default queue (it absorbs bursts before frames are dropped).
        let isFile = source.pacing == .file
        let configuration = PipelineConfiguration(
            workerCount: options.workers, sourceQueueCapacity: isFile ? 2 : 4,
            maxFramesInFlight: isFile ? options.workers + 2 : nil, selection: options.selection,
            minimumFaceSize: options.minimumFaceSize)
        let model = self.model
        let score = scoreThreshold
        let iou = iouThreshold
        let pipeline = FramePipeline(source: FrameSourceAdapter(source), configuration: configuration) {
            DetectorAnalyzer(detector: model.makeDetector(scoreThreshold: score, iouThreshold: iou))
        }
        let token = stopper.register { pipeline.stop() }
        defer { stopper.unregister(token) }
        onStart?(VideoRunProbe(source: source, pipelineStatistics: { pipeline.statistics }))
        let onlyFaces = options.onlyFaces
        let onAnalysis = self.onAnalysis
        var writeError: JSONLinesWriter.WriteError?
        var annotationError: FFmpegError?
        var progress = ProgressLine(name: input, enabled: ProgressLine.stderrIsTerminal)
        // Audio is copied from files only: a URL or pipe cannot be read a second time.
        let audioSource: String? = if case .file(let path) = VideoInput(argument: input) { path } else { nil }
        let annotated = options.annotation.map {
            AnnotatedVideoSink(request: $0, audioSource: audioSource, logger: logger)
        }
        let run: PipelineStatistics
        do {
            run = try pipeline.runBlocking { result in
                progress.update(frameIndex: result.frame.index, expected: source.statistics.expectedFrames)
                if let onAnalysis, let duration = result.analysisDuration { onAnalysis(duration) }
                if let annotated, annotationError == nil {
                    do {
                        try annotated.write(result, frameRate: source.statistics.nominalFrameRate)
                    } catch {
                        annotationError = error as? FFmpegError
                        pipeline.stop()
                    }
                }
                guard let faces = result.detections else { return }
                if onlyFaces && faces.isEmpty { return }
                let frame = result.frame
                let record = DetectionRecord(
                    source: input, frame: frame.index, pts: frame.pts, ts: frame.receivedAt.map(Timestamp.rfc3339),
                    width: frame.size.width, height: frame.size.height, model: model.name,
                    faces: faces.map(DetectionRecord.Face.init))
                do {
                    try writer.write(record)
                } catch {
                    writeError = error as? JSONLinesWriter.WriteError
                    pipeline.stop()
                }
            }
        } catch {
            // The source failed for good: still give the annotated file its trailer.
            progress.finish()
            _ = try? annotated?.finish()
            throw error
        }
        let statistics = run
        progress.finish()
        do {
            try annotated?.finish()
        } catch {
            annotationError = annotationError ?? error
        }
        if let writeError { throw FaceStreamError(.outputFailed, writeError.description) }
        if let annotationError { throw FaceStreamError(.outputFailed, "--annotate: \(annotationError.description)") }
        let sourceStatistics = source.statistics
        let seconds =
            Double(statistics.wallTime.components.seconds) + Double(statistics.wallTime.components.attoseconds) / 1e18
        logger.info(
            "\(input): \(statistics.framesRead) frames, \(statistics.framesAnalyzed) analysed, \(statistics.facesFound) faces, \(statistics.framesDropped) dropped, \(sourceStatistics.corruptPackets) corrupt packets, \(sourceStatistics.reconnects) reconnects, \(String(format: "%.2f", seconds)) s, \(String(format: "%.1f", statistics.framesPerSecond)) fps"
        )
        return statistics
    }
}

/// RFC 3339 UTC timestamps with milliseconds.
enum Timestamp {
    static func rfc3339(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(milliseconds % 1000))
    }
}
