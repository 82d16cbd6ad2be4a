import CoreSupport
import DetectionSinks
import FFmpegMedia
import Foundation
import FramePipeline
import FrameProcessing
import Logging
import Synchronization
import V4L2Capture
import VideoCore

/// How video inputs are read, selected and processed.
public struct VideoOptions: Sendable {
    /// Detect workers (each with its own detector).
    public var workers: Int
    /// Which frames are analysed.
    public var selection: FrameSelection
    /// Faces narrower or lower than this many pixels are dropped (the in-order processors).
    public var minimumFaceSize: Int?
    /// Follow faces across frames and give them track ids (`--tracks`); nil: no tracking. Its
    /// report threshold is the detection threshold; the detector then runs at its low threshold.
    public var tracking: TrackerSettings?
    /// Detections centred in these zones are dropped before tracking and reporting (`--ignore-zone`).
    public var ignoreZones: [Zone] = []
    /// A hiding style's hold and hide threshold (`--hold`, `--hide-threshold`); nil when the run
    /// hides nothing. Needs `tracking` (the app turns it on for hiding).
    public var hiding: HidingSettings?
    /// Timeouts and reconnect policy of network sources.
    public var source: VideoSourceOptions
    /// Size, rate, pixel format, buffers and timeouts for camera inputs.
    public var camera: V4L2CameraOptions

    /// Options with the documented defaults.
    public init(
        workers: Int, selection: FrameSelection = .all, minimumFaceSize: Int? = nil, tracking: TrackerSettings? = nil,
        source: VideoSourceOptions = VideoSourceOptions(), camera: V4L2CameraOptions = V4L2CameraOptions()
    ) {
        self.workers = workers
        self.selection = selection
        self.minimumFaceSize = minimumFaceSize
        self.tracking = tracking
        self.source = source
        self.camera = camera
    }
}

/// A detector per worker thread, made there from the shared model.
struct DetectorAnalyzer: FrameAnalyzing {
    let detector: any FaceDetecting
    mutating func analyze(_ frame: VideoFrame) throws -> [Detection] {
        try detector.detect(in: frame.pixels)
    }
}

/// Runs one video input: source (with its convert stage) -> detect workers -> reorder -> in-order
/// processors -> sinks, in frame order. SIGINT/SIGTERM stop the source; frames already read are
/// still delivered and every sink is finished.
public struct VideoDetectionRunner {
    let logger: Logger
    let model: LoadedModel
    let thresholds: DetectionThresholds
    let options: VideoOptions
    /// Builds the outputs of each input.
    let sinks: SinkFactory
    /// Called once the pipeline is built, before frames flow: hands live counters to a caller
    /// that reports progress (the daemon's status, watchdog and metrics).
    public var onStart: (@Sendable (VideoRunProbe) -> Void)? = nil
    /// Called on the in-order thread with the time the detector spent on each analysed frame
    /// (the daemon's latency histogram). Must not block.
    public var onAnalysis: (@Sendable (Duration) -> Void)? = nil
    /// How the end-of-input summary names the input; nil: the input as given. The daemon names the
    /// stream ("stream door") instead of its source URL.
    public var summaryName: String? = nil

    /// A runner for `model` with the detector's thresholds, the video options and the factory of
    /// each input's outputs; `run` may be called once per input.
    public init(
        logger: Logger, model: LoadedModel, thresholds: DetectionThresholds, options: VideoOptions, sinks: SinkFactory
    ) {
        self.logger = logger
        self.model = model
        self.thresholds = thresholds
        self.options = options
        self.sinks = sinks
    }

    /// Reads `input` to its end (or until `stopper` stops it) on the calling thread, handing every
    /// frame to the processors and the sinks; returns the pipeline's counters.
    public func run(input: String, stopper: RunStopper) throws -> PipelineStatistics {
        let isCamera = InputClassifier.classify(input) == .camera
        let videoInput = VideoInput(argument: input)
        var source: (any FrameSource)?
        // Audio is copied from files only: a URL or pipe cannot be read a second time.
        let audioSource: String? = if case .file(let path) = videoInput, !isCamera { path } else { nil }
        let outputs = sinks.outputs(
            for: SinkInput(
                name: input, model: model.name, isPhoto: false, audioSource: audioSource,
                frameRate: { source?.statistics.nominalFrameRate }, isLive: isLiveInput(videoInput, isCamera: isCamera))
        )
        let stage = InOrderStage(
            processors: .standard(
                minimumFaceSize: options.minimumFaceSize, ignoreZones: options.ignoreZones, tracking: options.tracking,
                hiding: options.hiding, snapshots: outputs.snapshotter),
            sinks: outputs.sinks)
        do {
            try stage.open()
        } catch {
            throw FaceStreamError(.outputFailed, error.description)
        }
        if isCamera {
            source = V4L2Camera(device: input, options: options.camera, logger: logger)
        } else {
            do {
                source = try FFmpegVideoSource(
                    videoInput, options: decoderOptions(for: stage), conversion: conversion(for: stage), logger: logger)
            } catch {
                _ = stage.finish()
                logger.debug("\(error.detailedDescription)")
                throw FaceStreamError(.missingInput, error.description)
            }
        }
        guard let source else { preconditionFailure("no source after opening") }
        // The pipeline (and its threads and detectors) exists only once the source is open: a
        // stream waiting for its camera or URL costs this thread alone.
        let running = Mutex<FramePipeline<FrameSourceAdapter, DetectorAnalyzer>?>(nil)
        let token = stopper.register(
            {
                source.stop()
                running.withLock { $0 }?.stop()
            }, hurry: { running.withLock { $0 }?.hurry() })
        defer { stopper.unregister(token) }
        onStart?(
            VideoRunProbe(
                source: source, pipelineStatistics: { running.withLock { $0 }?.statistics ?? PipelineStatistics() },
                facesFound: { [faces = stage.facesDelivered] in faces.value },
                trackEvents: { [appeared = stage.appearedEvents, left = stage.leftEvents] in
                    (appeared.value, left.value)
                }, snapshots: { [snapshots = outputs.snapshots] in snapshots?.snapshotCounts ?? SnapshotCounts() }))
        do {
            try source.prepare()
        } catch {
            _ = stage.finish()
            throw error
        }
        // Probing the stream and loading the model freed memory on this thread that would stay resident.
        MallocTuning.releaseFreePages()
        let pipeline = makePipeline(source)
        running.withLock { $0 = pipeline }
        if stopper.isStopped { pipeline.stop() }
        if stopper.isHurried { pipeline.hurry() }
        let onAnalysis = self.onAnalysis
        var progress = ProgressLine(name: input, enabled: ProgressLine.stderrIsTerminal)
        let statistics: PipelineStatistics
        do {
            statistics = try pipeline.runBlocking { result in
                progress.update(frameIndex: result.frame.index, expected: source.statistics.expectedFrames)
                if let onAnalysis, let duration = result.analysisDuration { onAnalysis(duration) }
                let failed = stage.deliver(
                    FrameDetections(
                        frame: result.frame, sequence: result.sequence, faces: result.detections,
                        analysisDuration: result.analysisDuration))
                // The runner, not the sink, decides: an output that fails ends the run.
                if failed { pipeline.stop() }
            }
        } catch {
            // The source failed for good: still finish the outputs (an annotated file gets its trailer).
            progress.finish()
            _ = stage.finish()
            throw error
        }
        progress.finish()
        if let failure = stage.finish() { throw FaceStreamError(.outputFailed, failure.description) }
        logSummary(
            input, statistics, source.statistics, faces: stage.facesDelivered.value,
            snapshots: outputs.snapshots?.snapshotCounts)
        if statistics.framesRead == 0 && !stopper.isStopped {
            // Not a silent success: the input gave nothing to look at.
            let corrupt = source.statistics.corruptPackets
            throw FaceStreamError(
                .missingInput,
                "no frame could be decoded\(corrupt > 0 ? " (\(corrupt) corrupt packets)" : ""); the file is damaged or holds no pictures"
            )
        }
        return statistics
    }

    /// Whether the input is live for hiding's defaults (no lookahead, fail-closed applies):
    /// cameras, URLs and pipes; only local files are not.
    private func isLiveInput(_ input: VideoInput, isCamera: Bool) -> Bool {
        if isCamera { return true }
        if case .file = input { return false }
        return true
    }

    /// Decoder threads left to the machine's other cores, unless set; with an analysis rate cap
    /// and no sink that needs the other frames, the source hands on only the analysed ones.
    private func decoderOptions(for stage: InOrderStage) -> VideoSourceOptions {
        var sourceOptions = options.source
        // The frames between analysed ones reach no output (JSON lines, events, webhooks): the
        // source neither converts nor hands them on, and does not decode the non-reference ones.
        // The analysed frames are the same (with their numbers and times) unless a live source
        // drops frames, when the pipeline would have analysed the next frame of a dropped one's slot.
        if case .maximumRate(let rate, nil) = options.selection, !stage.needsEveryFrame {
            sourceOptions.analysisRate = RateSlots(framesPerSecond: rate)
        }
        if sourceOptions.decoderThreads == 0 {
            // The detect workers keep the cores busy; more decoder threads only add frames held
            // in the decoder (3 MB each at 1080p) without adding throughput.
            sourceOptions.decoderThreads = max(1, ProcessInfo.processInfo.activeProcessorCount - options.workers)
        }
        return sourceOptions
    }

    /// The source's convert stage: whole pictures when a sink paints on them; otherwise only the
    /// pixels the detector's resize reads, resized on the decode thread, so frames in flight carry
    /// 0.23 MB (320x240) each.
    private func conversion(for stage: InOrderStage) -> FrameConversion {
        guard !stage.needsPixels, let sampler = model.family.inputSampler else { return .wholePictures }
        return .sampled(sampler)
    }

    private func makePipeline(_ source: any FrameSource) -> FramePipeline<FrameSourceAdapter, DetectorAnalyzer> {
        // Files wait for the workers instead of dropping, so short queues lose nothing and hold fewer
        // frames; live sources keep the default queue (it absorbs bursts before frames are dropped).
        let isFile = source.pacing == .file
        let configuration = PipelineConfiguration(
            workerCount: options.workers, sourceQueueCapacity: isFile ? 2 : 4,
            maxFramesInFlight: isFile ? options.workers + 2 : nil, selection: options.selection)
        let model = self.model
        var detectorThresholds = self.thresholds
        // The tracker's second pass needs the faces between its low threshold and the report
        // threshold; it reports only those above (the same ones as without tracking).
        if let tracking = options.tracking {
            detectorThresholds.score = min(detectorThresholds.score, tracking.lowThreshold)
        }
        // Hiding hides faces down to its own threshold, reported or not.
        if let hiding = options.hiding {
            detectorThresholds.score = min(detectorThresholds.score, hiding.hideThreshold)
        }
        let thresholds = detectorThresholds
        return FramePipeline(source: FrameSourceAdapter(source), configuration: configuration) {
            DetectorAnalyzer(detector: model.makeDetector(thresholds))
        }
    }

    private func logSummary(
        _ input: String, _ run: PipelineStatistics, _ source: SourceStatistics, faces: Int, snapshots: SnapshotCounts?
    ) {
        let seconds = run.wallTime.inSeconds
        let snapshotPart =
            snapshots.map { ", snapshots: \($0.written) written, \($0.dropped) dropped, \($0.failed) failed" } ?? ""
        // Frames passed over by the source (analysis rate cap) count as read and delivered.
        let frames = run.framesRead + source.framesPassedOver
        let rate = seconds > 0 ? Double(run.framesDelivered + source.framesPassedOver) / seconds : 0
        logger.info(
            "\(summaryName ?? input): \(frames) frames, \(run.framesAnalyzed) analysed, \(faces) faces, \(run.framesDropped) dropped, \(source.corruptPackets) corrupt packets, \(source.reconnects) reconnects, \(String(format: "%.2f", seconds)) s, \(String(format: "%.1f", rate)) fps\(snapshotPart)"
        )
    }
}
