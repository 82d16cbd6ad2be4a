import CoreSupport
import DetectionSinks
import FFmpegMedia
import FaceStreamApp
import Foundation
import FramePipeline
import FrameProcessing
import Logging
import MQTTPublishing
import Prometheus
import Synchronization
import V4L2Capture
import VideoCore
import Webhooks

/// One configured stream running on its own threads: the existing video pipeline
/// (`VideoDetectionRunner`) writing JSON lines to the stream's output and, when asked, an
/// annotated recording (finished with its trailer at the end of every run, SIGTERM included).
///
/// A live source (URL, camera) that fails is started again with back-off, forever; a file that
/// ends is `finished`, one that cannot be read is `failed`. `stop()` ends the stream gracefully
/// (frames already read are written); `waitUntilStopped(timeout:)` bounds the wait.
final class StreamWorker: Sendable {
    let settings: StreamSettings
    let model: LoadedModel
    let workers: Int
    private let output: OutputHandle
    private let logger: Logger
    private let retry: ReconnectPolicy
    private let stopper = RunStopper()
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let shared = Mutex(Shared())
    /// Detection latency of every analysed frame, across restarts (in the daemon's registry).
    private let latency: DurationHistogram
    /// Webhook deliveries across restarts (read by the snapshot for metrics).
    private let webhookCounters = WebhookCounters()
    /// The daemon's MQTT node when the stream publishes to it.
    private let mqtt: MQTTNode?

    /// Counters carried across restarts, the current run's probe and the state.
    private struct Shared {
        var state = StreamState.starting
        var probe: VideoRunProbe?
        var earlier = StreamSnapshot(name: "", state: .starting)
        var restarts = 0
    }

    init(
        settings: StreamSettings, model: LoadedModel, workers: Int, output: OutputHandle, logger: Logger,
        latency: DurationHistogram, mqtt: MQTTNode? = nil, retry: ReconnectPolicy = ReconnectPolicy()
    ) {
        self.latency = latency
        self.mqtt = settings.publishesMQTT ? mqtt : nil
        self.settings = settings
        self.model = model
        self.workers = workers
        self.output = output
        self.logger = logger
        self.retry = retry
    }

    /// Starts the stream's thread.
    func start() {
        let thread = Thread { [self] in
            runUntilDone()
            finished.signal()
        }
        thread.name = "facestream.stream.\(settings.name)"
        thread.start()
    }

    /// Asks the stream to stop: the source stops, frames read are still written. Idempotent.
    func stop() {
        stopper.stop()
        wakeUp.signal()
    }

    /// Waits until the stream's thread has ended; false when `timeout` passed first.
    func waitUntilStopped(timeout: Duration) -> Bool {
        let nanoseconds = timeout.wholeNanoseconds
        guard finished.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success else { return false }
        finished.signal()  // later waits return at once
        return true
    }

    /// Reopens the output file (SIGHUP, for logrotate).
    func reopenOutput() throws(JSONLinesWriter.WriteError) {
        try output.writer.reopen()
    }

    /// The stream's counters and state now.
    var snapshot: StreamSnapshot {
        let (state, probe, earlier, restarts) = shared.withLock { ($0.state, $0.probe, $0.earlier, $0.restarts) }
        var snapshot = earlier
        snapshot.name = settings.name
        snapshot.state = state
        snapshot.tracking = settings.tracking != nil
        if settings.outputs.webhook != nil {
            snapshot.webhook = WebhookTotals(
                sent: webhookCounters.sent, failed: webhookCounters.failed, dropped: webhookCounters.dropped)
        }
        snapshot.reconnects += restarts
        if let probe {
            let pipeline = probe.pipelineStatistics()
            let source = probe.source.statistics
            // Frames the source passed over (max_fps, JSON output) came in too.
            snapshot.framesIn += pipeline.framesRead + source.framesPassedOver
            snapshot.framesAnalyzed += pipeline.framesAnalyzed
            snapshot.framesDropped += pipeline.framesDropped
            snapshot.faces += probe.facesFound()
            let events = probe.trackEvents()
            snapshot.appeared += events.appeared
            snapshot.left += events.left
            let snapshots = probe.snapshots()
            snapshot.snapshotsWritten += snapshots.written
            snapshot.snapshotsDropped += snapshots.dropped
            snapshot.snapshotsFailed += snapshots.failed
            snapshot.reconnects += source.reconnects
            snapshot.queueDepth = max(0, pipeline.framesRead - pipeline.framesDropped - pipeline.framesDelivered)
            if state == .running || state == .starting {
                // A camera that is not open (missing at start, or lost) is waited for.
                let cameraClosed = (probe.source as? V4L2Camera).map { $0.format == nil } ?? false
                if source.disconnects > source.reconnects || cameraClosed {
                    snapshot.state = .waiting
                } else if pipeline.framesRead > 0 {
                    snapshot.state = .running
                }
            }
        }
        return snapshot
    }

    private func setState(_ state: StreamState) {
        shared.withLock { $0.state = state }
    }

    private func runUntilDone() {
        var restart = StreamRestart(policy: retry)
        var retryReport = RetryReport()
        while !stopper.isStopped {
            setState(.starting)
            var failure: (any Error)?
            do {
                _ = try makeRunner(recording: nextRecordingPath()) { [self] probe in
                    shared.withLock { $0.probe = probe }
                }
                .run(input: settings.source, stopper: stopper)
            } catch let error as FaceStreamError where error.exitCode == .outputFailed {
                logger.error("stream \(settings.name): \(error.message)")
                setState(.failed)
                return
            } catch {
                failure = error
            }
            let live =
                settings.source.contains("://") || settings.source.hasPrefix("/dev/")
                || shared.withLock { $0.probe?.source.pacing == .live }
            switch StreamRestart.decision(failed: failure != nil, stopRequested: stopper.isStopped, live: live) {
            case .stop:
                setState(.stopped)
                return
            case .finish:
                logger.info("stream \(settings.name): \(settings.source) ended")
                setState(.finished)
                return
            case .fail:
                logger.error("stream \(settings.name): \(failure.map { "\($0)" } ?? "failed")")
                setState(.failed)
                return
            case .retry:
                break
            }
            let delay = restart.delay(afterRunDeliveringFrames: foldProbeIntoTotals())
            // Why the run ended and when the next one starts, once per back-off step.
            if let line = retryReport.line(reason: failure.map { "\($0)" } ?? "the source ended", nextAttemptIn: delay)
            {
                logger.warning("stream \(settings.name): \(line)")
            }
            setState(.waiting)
            let nanoseconds = delay.wholeNanoseconds
            _ = wakeUp.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
        }
        setState(.stopped)
    }

    /// Adds the ended run's counters to the totals; true when that run had delivered frames
    /// (the back-off then starts again from its first delay).
    private func foldProbeIntoTotals() -> Bool {
        let current = snapshot
        return shared.withLock {
            let hadFrames = ($0.probe?.pipelineStatistics().framesRead ?? 0) > 0
            $0.earlier = current
            $0.earlier.reconnects -= $0.restarts
            $0.earlier.queueDepth = 0
            $0.probe = nil
            $0.restarts += 1
            return hadFrames
        }
    }

    /// The annotated recording's path for the next run (nil: none); never an existing recording
    /// (with segments, the configured path, which only names the segments' folder and stem).
    private func nextRecordingPath() -> String? {
        guard let annotation = settings.outputs.annotation else { return nil }
        let configured = annotation.path
        // Segments are named by their start time: never an earlier recording's name.
        if annotation.segments != nil { return configured }
        let path = RecordingPath.firstFree(configured)
        if path != configured {
            logger.notice("stream \(settings.name): \(configured) holds an earlier recording; recording to \(path)")
        }
        return path
    }

    private func makeRunner(recording: String?, onStart: @escaping @Sendable (VideoRunProbe) -> Void)
        -> VideoDetectionRunner
    {
        let selection: FrameSelection = settings.maxFPS.map { .maximumRate(framesPerSecond: $0) } ?? .all
        var options = VideoOptions(
            workers: workers, selection: selection, minimumFaceSize: settings.minFace > 0 ? settings.minFace : nil,
            // A stream publishing to MQTT is tracked (decided with the configuration).
            tracking: settings.tracking,
            camera: settings.camera.options)
        options.ignoreZones = settings.ignoreZones
        options.hiding = settings.hiding
        var outputs = settings.outputs
        outputs.streamName = settings.name
        if let recording { outputs.annotation?.path = recording }
        var runner = VideoDetectionRunner(
            logger: logger, model: model, thresholds: DetectionThresholds(score: settings.threshold, iou: settings.iou),
            options: options,
            sinks: SinkFactory(
                writer: output.writer, options: outputs, logger: logger, webhookCounters: webhookCounters, mqtt: mqtt))

        runner.onStart = onStart
        runner.summaryName = "stream \(settings.name)"
        runner.onAnalysis = { [latency] in latency.observe($0) }
        return runner
    }
}
