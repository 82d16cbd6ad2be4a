import FramePipeline
import VideoCore

/// Live view of one running video pipeline: its source (pacing, reconnect counters) and the
/// pipeline's counters. Thread-safe: both read through locks.
public struct VideoRunProbe: Sendable {
    /// The frame source being read.
    public let source: any FrameSource
    /// A snapshot of the pipeline counters (frames read, analysed, dropped, faces).
    public let pipelineStatistics: @Sendable () -> PipelineStatistics
}
