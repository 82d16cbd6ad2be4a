import VideoCore

/// A frame leaving a worker (or skipped by selection), before the reorder step.
struct CompletedFrame<Frame: PipelineFrame>: Sendable {
    var sequence: Int
    var frame: Frame
    var detections: [Detection]?
    /// Time `analyze` took; nil when the frame was not analysed or its analysis failed.
    var analysisDuration: Duration? = nil
}
