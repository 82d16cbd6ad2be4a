import DetectionSinks
import FrameProcessing
import Logging
import MQTTPublishing
import VideoCore
import Webhooks

/// What a sink may need to know about the input it writes for.
struct SinkInput {
    /// The input as the user named it (path, URL, "-", device).
    var name: String
    /// Model name written in records.
    var model: String
    /// Whether the input is a photo (one picture) rather than a video, stream or camera.
    var isPhoto: Bool
    /// The input file, for outputs that copy its audio; nil for URLs, pipes, cameras and photos.
    var audioSource: String?
    /// The source's frame rate, once it is open (read at the first frame).
    var frameRate: () -> Double?
    /// Whether the input is live (camera, URL, pipe): hiding then has no lookahead by default,
    /// and fail-closed applies.
    var isLive = false
}

/// The outputs of one input: its sinks and, with snapshots, the processor that feeds the snapshot
/// sink (it runs after the tracker, on the in-order thread, and names the files in the events).
struct RunOutputs {
    /// The sinks, in the order they receive each frame.
    var sinks: [any DetectionSink]
    /// The snapshot sink, also in `sinks` (for its counts).
    var snapshots: SnapshotSink?
    /// The processor that crops the tracks' faces and submits them to `snapshots`.
    var snapshotter: TrackSnapshotter?
}

/// Builds the sinks of one input from `OutputOptions`: the one place that knows which outputs
/// exist. A new output is a new `DetectionSink` type, its field in `OutputOptions` and one line here.
public struct SinkFactory {
    /// The JSON lines destination, shared by every input of the run.
    let writer: JSONLinesWriter
    let options: OutputOptions
    let logger: Logger
    /// Where webhook deliveries are counted (the daemon keeps one per stream across restarts).
    let webhookCounters: WebhookCounters
    /// The process's MQTT connection, shared by every input and stream; nil: no MQTT.
    let mqtt: MQTTNode?

    /// A factory writing JSON lines through `writer` and the other outputs `options` ask for;
    /// webhook deliveries are counted in `webhookCounters`; events are published to `mqtt` when
    /// given.
    public init(
        writer: JSONLinesWriter, options: OutputOptions, logger: Logger,
        webhookCounters: WebhookCounters = WebhookCounters(), mqtt: MQTTNode? = nil
    ) {
        self.writer = writer
        self.options = options
        self.logger = logger
        self.webhookCounters = webhookCounters
        self.mqtt = mqtt
    }

    /// The sinks for `input`, in the order they receive each frame.
    func sinks(for input: SinkInput) -> [any DetectionSink] { outputs(for: input).sinks }

    /// The sinks for `input` and the snapshot processor feeding the snapshot sink (video only).
    func outputs(for input: SinkInput) -> RunOutputs {
        var sinks: [any DetectionSink] = [
            JSONLinesSink(
                writer: writer, source: input.name, model: input.model, onlyFaces: options.onlyFaces && !input.isPhoto,
                events: input.isPhoto ? .none : options.events)
        ]
        if let annotation = options.annotation, !input.isPhoto {
            sinks.append(
                AnnotatedVideoSink(
                    request: annotation.resolved(live: input.isLive), audioSource: input.audioSource,
                    frameRate: input.frameRate, logger: logger))
        }
        if let webhook = options.webhook, !input.isPhoto {
            sinks.append(
                WebhookSink(
                    request: webhook, source: input.name, userAgent: "facestream/\(VersionReport.version)",
                    counters: webhookCounters, logger: logger))
        }
        let stream = options.streamName ?? StreamName.forInput(input.name)
        if let mqtt, !input.isPhoto {
            // With snapshots configured the camera is announced at once; else at a first snapshot.
            sinks.append(mqtt.sink(stream: stream, source: input.name, camera: options.snapshots != nil))
        }
        guard let request = options.snapshots, !input.isPhoto else { return RunOutputs(sinks: sinks) }
        let naming = SnapshotNaming(source: request.sourceName ?? stream)
        let snapshots = SnapshotSink(request: request, naming: naming, logger: logger)
        sinks.append(snapshots)
        return RunOutputs(
            sinks: sinks, snapshots: snapshots,
            snapshotter: TrackSnapshotter(writer: snapshots, settings: SnapshotSettings(margin: request.margin)))
    }
}
