import VideoCore

/// One frame as the sink receives it: every frame that passed the source queue, in order.
public struct FrameResult<Frame: PipelineFrame>: Sendable {
    /// The frame itself.
    public var frame: Frame
    /// Position among the frames that passed the source queue, from 0 without gaps (live drops
    /// leave gaps in `frame.index`, never here).
    public var sequence: Int
    /// Faces the analyzer found in this frame; nil when the frame was not analysed (not
    /// selected, or its analysis failed).
    public var detections: [Detection]?
    /// Wall time the analyzer spent on this frame (monotonic clock, measured on the worker
    /// around `analyze`); nil when the frame was not analysed or its analysis failed.
    public var analysisDuration: Duration?

    /// Whether the frame was analysed.
    public var isAnalyzed: Bool { detections != nil }

    /// Makes a result; the pipeline is the only producer outside tests.
    public init(
        frame: Frame, sequence: Int, detections: [Detection]?, analysisDuration: Duration? = nil
    ) {
        self.frame = frame
        self.sequence = sequence
        self.detections = detections

        self.analysisDuration = analysisDuration
    }
}
