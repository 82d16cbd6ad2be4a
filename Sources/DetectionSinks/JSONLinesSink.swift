import VideoCore

/// Writes one JSON line (schema v1, `DetectionRecord`) per analysed frame of one input, through a
/// `JSONLinesWriter` that may be shared by the inputs of a run (the writer flushes every line).
public final class JSONLinesSink: DetectionSink {
    private let writer: JSONLinesWriter
    private let source: String
    private let model: String
    private let onlyFaces: Bool
    private let events: EventLines

    /// Which lines a sink writes besides the frame lines.
    public enum EventLines: Sendable, Equatable {
        /// Frame lines only.
        case none
        /// Track events, each before the line of the frame it happened at (`--events`).
        case withFrames
        /// Track events only, no frame lines (`--events-only`).
        case only
    }

    /// A sink for frames of `source` (as the user named it) analysed with `model`; with
    /// `onlyFaces`, frames without a face are not written; `events` says whether track events
    /// are written too, or alone.
    public init(
        writer: JSONLinesWriter, source: String, model: String, onlyFaces: Bool = false, events: EventLines = .none
    ) {
        self.writer = writer
        self.source = source
        self.model = model
        self.onlyFaces = onlyFaces
        self.events = events
    }

    /// JSON lines need no pixels.
    public var needsPixels: Bool { false }

    /// Nothing to do: the writer was opened when the run started (it is shared by the inputs).
    public func open() throws(OutputFailure) {}

    /// Writes the frame's record when it was analysed (and has a face, with `onlyFaces`).
    public func write(_ frame: FrameDetections) throws(OutputFailure) {
        if events != .none { try writeEvents(frame.events) }
        guard events != .only, let faces = frame.faces else { return }
        if onlyFaces && faces.isEmpty { return }
        let video = frame.frame
        let size = video.size
        let record = DetectionRecord(
            source: source, frame: video.index, pts: video.pts, ts: video.receivedAt.map(Timestamp.rfc3339),
            width: size.width, height: size.height, model: model, faces: faces.map(DetectionRecord.Face.init))
        do {
            try writer.write(record)
        } catch {
            throw OutputFailure(error.description)
        }
    }

    /// Writes the `left` events of the tracks still open at the end.
    public func writeClosing(_ events: [TrackEvent]) throws(OutputFailure) {
        if self.events != .none { try writeEvents(events) }
    }

    private func writeEvents(_ events: [TrackEvent]) throws(OutputFailure) {
        for event in events {
            do {
                try writer.writeLine(event.jsonLine(source: source))
            } catch {
                throw OutputFailure(error.description)
            }
        }
    }

    /// Nothing to do: every line is flushed when written, and the writer outlives the input.
    public func finish() throws(OutputFailure) {}
}
