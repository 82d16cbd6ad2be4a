import DetectionSinks
import Webhooks

/// Which outputs a run writes besides the JSON lines, and how: filled from `detect`'s flags or a
/// stream's configuration keys, turned into sinks by `SinkFactory`.
public struct OutputOptions: Sendable, Equatable {
    /// Video: write only frames with at least one face.
    public var onlyFaces: Bool
    /// Video: also write an annotated or anonymised copy.
    public var annotation: AnnotationRequest?
    /// Video: track event lines (`--events`, `--events-only`; they need tracking).
    public var events: JSONLinesSink.EventLines
    /// Video: JPEG snapshots of every track (`--snapshots`; they need tracking).
    public var snapshots: SnapshotRequest?
    /// Video: POST every track event to a URL (`--webhook`; needs tracking).
    public var webhook: WebhookRequest?
    /// The stream's name in MQTT topics and Home Assistant ids (`--name`, a daemon stream's
    /// name); nil: made from the input (`StreamName.forInput`).
    public var streamName: String?

    /// Whether these outputs need tracks: event lines, snapshots and webhooks are made of track
    /// events (MQTT, a connection rather than an output option, needs them too).
    public var needTracks: Bool { events != .none || snapshots != nil || webhook != nil }

    /// Options for the outputs named.
    public init(
        onlyFaces: Bool = false, annotation: AnnotationRequest? = nil, events: JSONLinesSink.EventLines = .none,
        snapshots: SnapshotRequest? = nil, webhook: WebhookRequest? = nil
    ) {
        self.onlyFaces = onlyFaces
        self.annotation = annotation
        self.events = events
        self.snapshots = snapshots
        self.webhook = webhook
    }
}
