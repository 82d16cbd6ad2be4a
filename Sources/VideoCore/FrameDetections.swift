/// One frame on its way from the in-order stage to the sinks: the frame, what was found in it,
/// and what the in-order processors made of that. Every frame that passed the source queue gets
/// one, in frame order, analysed or not.
public struct FrameDetections: Sendable {
    /// The frame; its pixels are a whole picture only when a sink asked for pixels
    /// (`DetectionSink.needsPixels`), else possibly just the detector's samples.
    public var frame: VideoFrame
    /// Position among the frames that passed the source queue, from 0 without gaps (a live
    /// source's drops leave gaps in `frame.index`, never here).
    public var sequence: Int
    /// The faces of this frame, as the processors left them; nil when the frame was not analysed
    /// (not selected, or its analysis failed).
    public var faces: [Detection]?
    /// The faces to mark or hide on this frame: its own when analysed; on frames in between, what
    /// a processor carries over (the last analysed frame's faces, by default). Empty otherwise.
    public var shownFaces: [Detection]
    /// Time the detector spent on this frame (monotonic clock, on the worker); nil when the frame
    /// was not analysed or its analysis failed.
    public var analysisDuration: Duration?
    /// Track events that happened at this frame (a tracker's `appeared` and `left`), in order;
    /// sinks write them before the frame itself.
    public var events: [TrackEvent] = []

    /// A frame as it leaves the detector, before any processor: `shownFaces` are its own faces.
    public init(frame: VideoFrame, sequence: Int, faces: [Detection]?, analysisDuration: Duration? = nil) {
        self.frame = frame
        self.sequence = sequence
        self.faces = faces
        self.shownFaces = faces ?? []
        self.analysisDuration = analysisDuration
    }

    /// Whether the frame was analysed.
    public var isAnalyzed: Bool { faces != nil }
}
