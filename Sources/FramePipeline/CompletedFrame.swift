import VideoCore

/// A frame leaving a worker (or skipped by selection), before the reorder step.
struct CompletedFrame<Frame: PipelineFrame>: Sendable {
    var sequence: Int
    var frame: Frame
    var detections: [Detection]?
}
