import CoreSupport

/// Counters of one pipeline run, for the end-of-run summary and progress lines.
public struct PipelineStatistics: Sendable, Equatable {
    /// Frames returned by the source.
    public var framesRead = 0
    /// Frames the source queue discarded (live sources falling behind).
    public var framesDropped = 0
    /// Frames analysed successfully.
    public var framesAnalyzed = 0
    /// Frames passed on without analysis because `FrameSelection` skipped them.
    public var framesSkipped = 0
    /// Frames whose analysis threw.
    public var analysisFailures = 0
    /// Frames handed to the sink without it throwing.
    public var framesDelivered = 0

    /// From the start of the run to its end (or to now, for a snapshot taken during the run).
    public var wallTime: Duration = .zero

    /// Makes zeroed counters.
    public init() {}

    /// Frames delivered per second of wall time; 0 before any time has passed.
    public var framesPerSecond: Double { perSecond(framesDelivered) }
    /// Frames analysed per second of wall time; 0 before any time has passed.
    public var analyzedFramesPerSecond: Double { perSecond(framesAnalyzed) }

    private func perSecond(_ count: Int) -> Double {
        let seconds = wallTime.inSeconds
        return seconds > 0 ? Double(count) / seconds : 0
    }
}
