import DetectionSinks
import Logging
import MQTTPublishing
import VideoCore

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
}

/// Builds the sinks of one input from `OutputOptions`: the one place that knows which outputs
/// exist. A new output is a new `DetectionSink` type, its field in `OutputOptions` and one line here.
public struct SinkFactory {
    /// The JSON lines destination, shared by every input of the run.
    let writer: JSONLinesWriter
    let options: OutputOptions
    let logger: Logger
    /// The process's MQTT connection, shared by every input and stream; nil: no MQTT.
    let mqtt: MQTTNode?

    /// A factory writing JSON lines through `writer` and the other outputs `options` ask for,
    /// publishing to `mqtt` when given.
    public init(writer: JSONLinesWriter, options: OutputOptions, logger: Logger, mqtt: MQTTNode? = nil) {
        self.writer = writer
        self.options = options
        self.logger = logger
        self.mqtt = mqtt
    }

    /// The sinks for `input`, in the order they receive each frame.
    func sinks(for input: SinkInput) -> [any DetectionSink] {
        var sinks: [any DetectionSink] = [
            JSONLinesSink(
                writer: writer, source: input.name, model: input.model, onlyFaces: options.onlyFaces && !input.isPhoto,
                events: input.isPhoto ? .none : options.events)
        ]
        if let annotation = options.annotation, !input.isPhoto {
            sinks.append(
                AnnotatedVideoSink(
                    request: annotation, audioSource: input.audioSource, frameRate: input.frameRate, logger: logger))
        }
        if let mqtt, !input.isPhoto {
            // With snapshots configured the camera is announced at once; else at a first snapshot.
            sinks.append(
                mqtt.sink(
                    stream: options.streamName ?? StreamName.forInput(input.name), source: input.name, camera: false))
        }
        return sinks
    }
}
