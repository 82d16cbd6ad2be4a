import DetectionSinks
import FramePipeline
import VideoCore

/// Live view of one running video pipeline: its source (pacing, reconnect counters), the
/// pipeline's counters and the faces delivered. Thread-safe: all read through locks or atomics.
public struct VideoRunProbe: Sendable {
    /// The frame source being read.
    public let source: any FrameSource
    /// A snapshot of the pipeline counters (frames read, analysed, dropped, delivered).
    public let pipelineStatistics: @Sendable () -> PipelineStatistics
    /// Faces in analysed frames so far, after the in-order processors (`--min-face`).
    public let facesFound: @Sendable () -> Int
    /// Track events so far (`appeared`, `left`); both 0 without tracking.
    public let trackEvents: @Sendable () -> (appeared: Int, left: Int)
    /// Snapshots so far (written, dropped, failed); all 0 without `--snapshots`.
    public let snapshots: @Sendable () -> SnapshotCounts
}
