import VideoCore

/// Writes one JSON line (schema v1, `DetectionRecord`) per analysed frame of one input, through a
/// `JSONLinesWriter` that may be shared by the inputs of a run (the writer flushes every line).
public final class JSONLinesSink: DetectionSink {
    private let writer: JSONLinesWriter
    private let source: String
    private let model: String
    private let onlyFaces: Bool

    /// A sink for frames of `source` (as the user named it) analysed with `model`; with
    /// `onlyFaces`, frames without a face are not written.
    public init(writer: JSONLinesWriter, source: String, model: String, onlyFaces: Bool = false) {
        self.writer = writer
        self.source = source
        self.model = model
        self.onlyFaces = onlyFaces
    }

    /// JSON lines need no pixels.
    public var needsPixels: Bool { false }

    /// Nothing to do: the writer was opened when the run started (it is shared by the inputs).
    public func open() throws(OutputFailure) {}

    /// Writes the frame's record when it was analysed (and has a face, with `onlyFaces`).
    public func write(_ frame: FrameDetections) throws(OutputFailure) {
        guard let faces = frame.faces else { return }
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

    /// Nothing to do: every line is flushed when written, and the writer outlives the input.
    public func finish() throws(OutputFailure) {}
}
