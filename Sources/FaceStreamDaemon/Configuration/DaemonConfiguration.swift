import DetectionSinks
import FaceDetection
import FaceStreamApp
import FrameProcessing
import Logging
import MQTTPublishing
import VideoCore

/// A validated daemon configuration (`facestream run --config FILE`): process-wide settings and
/// the streams to watch. Made by `ConfigurationLoader`; every value is already checked.
public struct DaemonConfiguration: Sendable, Equatable {
    /// Settings shared by all streams.
    public var global: GlobalSettings
    /// The streams, in file order; names are unique.
    public var streams: [StreamSettings]

    /// A configuration of `global` settings and `streams`.
    public init(global: GlobalSettings = GlobalSettings(), streams: [StreamSettings]) {
        self.global = global
        self.streams = streams
    }
}

/// Top-level keys of the configuration file.
public struct GlobalSettings: Sendable, Equatable {
    /// Model for streams that name none: a path, or a file name searched in the models directories
    /// (nil: `$FACESTREAM_MODEL`, else `version-RFB-320.onnx`).
    public var model: String?
    /// Inference threads per network run.
    public var threads: Int = 1
    /// Arithmetic of the network (`precision`: `fp32` or `int8`, as `--precision`).
    public var precision: ModelPrecision = .float32
    /// Detect workers per stream (each with its own inference session) unless the stream says.
    public var workers: Int = 2
    /// Lowest log level written.
    public var logLevel: Logger.Level = .info
    /// Prometheus endpoint `host:port` on loopback; nil (the default) serves none.
    public var metricsAddress: MetricsAddress?
    /// Period of the per-stream summary in the log.
    public var statusInterval: Duration = .seconds(60)
    /// Longest time a graceful stop may take before the process exits anyway (below the unit's
    /// `TimeoutStopSec`).
    public var stopTimeout: Duration = .seconds(8)
    /// The MQTT broker all streams publish to through one connection (`[mqtt]`); nil: none.
    public var mqtt: MQTTOptions?

    /// The defaults.
    public init() {}
}

/// One `[[stream]]` table: an input watched by its own pipeline.
public struct StreamSettings: Sendable, Equatable {
    /// Unique name used in logs, status and metrics.
    public var name: String
    /// What to read: a camera device, a video file or a URL (anything `facestream detect` takes).
    public var source: String
    /// Model override (path or file name); nil uses the global model.
    public var model: String?
    /// Score threshold, 0 < t < 1.
    public var threshold: Float = 0.7
    /// Non-maximum-suppression IoU, 0...1.
    public var iou: Float = 0.3
    /// Faces narrower or lower than this are dropped; 0 keeps all.
    public var minFace: Int = 0
    /// Most frames analysed per second of stream time; nil analyses every frame.
    public var maxFPS: Double?
    /// Detect workers override; nil uses the global `workers`.
    public var workers: Int?
    /// JSON lines destination: a file path (appended to, reopened on SIGHUP) or "-" for stdout.
    public var output: String = "-"
    /// The outputs besides the JSON lines, as `detect`'s flags give them: `only_faces`, and the
    /// annotated recording (`annotate`, `annotate_style`; cut into segments named by start time
    /// with `segment_seconds`, `keep_gb`, `keep_days`; as one file, its path is never an existing
    /// recording: the next free `name.N.ext` is used instead).
    public var outputs = OutputOptions()
    /// Follow faces across frames (`tracks` and the `track_*` keys); nil: no tracking.
    public var tracking: TrackerSettings?
    /// Detections centred in these polygons are dropped (`ignore_zones`).
    public var ignoreZones: [Zone] = []
    /// Hold and hide threshold of a hiding `annotate_style` (`hold`, `hide_threshold`); nil when
    /// the stream hides nothing.
    public var hiding: HidingSettings?
    /// Whether the stream publishes to the `[mqtt]` broker (`mqtt = false` leaves it out); a
    /// publishing stream is tracked even without `tracks`.
    public var publishesMQTT = true
    /// Size, rate, format, buffers and timeout for a camera source.
    public var camera = CameraSettings()
    /// The network's input size (`input_size`); the model's own by default.
    public var inputSize: InputSizeRequest = .model
    /// Overlapping tiles searched besides the whole frame (`tiles`); off by default.
    public var tiles: TileRequest = .off

    /// A stream with default options.
    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}

/// A loopback TCP address for the metrics endpoint.
public struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    /// IPv4 loopback host, e.g. "127.0.0.1".
    public var host: String
    /// TCP port, 1...65535.
    public var port: UInt16

    /// `host:port`.
    public var description: String { "\(host):\(port)" }
}
