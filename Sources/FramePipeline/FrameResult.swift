import VideoCore

/// One frame as the sink receives it: every frame that passed the source queue, in order.
public struct FrameResult<Frame: PipelineFrame>: Sendable {
    /// The frame itself.
    public var frame: Frame
    /// Position among the frames that passed the source queue, from 0 without gaps (live drops
    /// leave gaps in `frame.index`, never here).
    public var sequence: Int
    /// Faces found in this frame (after the minimum-size filter); nil when the frame was not
    /// analysed (not selected, or its analysis failed).
    public var detections: [Detection]?
    /// The faces of the latest analysed frame up to and including this one: what an annotated
    /// video holds on frames between analysed ones. Empty before the first analysed frame.
    public var heldDetections: [Detection]
    /// Wall time the analyzer spent on this frame (monotonic clock, measured on the worker
    /// around `analyze`); nil when the frame was not analysed or its analysis failed.
    public var analysisDuration: Duration?

    /// Whether the frame was analysed.
    public var isAnalyzed: Bool { detections != nil }

    /// Makes a result; the pipeline is the only producer outside tests.
    public init(
        frame: Frame, sequence: Int, detections: [Detection]?, heldDetections: [Detection],
        analysisDuration: Duration? = nil
    ) {
        self.frame = frame
        self.sequence = sequence
        self.detections = detections
        self.heldDetections = heldDetections
        self.analysisDuration = analysisDuration
    }
}
