import VideoCore

/// Per-stream logic that needs frame order and state: it sees every frame's detections after the
/// reorder step, in sequence order, on one thread, and may change or add to them (minimum size,
/// hold-over of boxes; later zones, tracks, events). One instance per run of one stream.
///
/// Processors never block and never reach into the pipeline; the frames they change go on to the
/// next processor and then to the sinks.
public protocol DetectionProcessor {
    /// Processes the next frame in order. Called for every frame, analysed or not.
    mutating func process(_ frame: inout FrameDetections)
    /// The run ended (end of input, or a stop): the events still owed (a tracker's `left` for
    /// every open track). Called once, after the last frame.
    mutating func finish() -> [TrackEvent]
    /// Sees, and may amend, the events owed at the end of the run by the processors before it
    /// (the snapshots of the tracker's closing `left` events), before its own `finish()`.
    mutating func processClosing(_ events: inout [TrackEvent])
}

extension DetectionProcessor {
    /// Nothing is owed by default.
    public mutating func finish() -> [TrackEvent] { [] }

    /// Closing events pass unchanged by default.
    public mutating func processClosing(_ events: inout [TrackEvent]) {}
}
