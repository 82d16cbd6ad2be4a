import VideoCore

/// Decides, for a live recording with `--fail-closed`, which frames are hidden whole: those whose
/// stream time is more than `limit` after the latest analysed frame (the detector fell behind,
/// failed or stopped), until an analysed frame comes again. Before the first analysed frame the
/// first frame's time counts as the latest analysis. Counts frames and episodes.
struct FailClosedWatch {
    let limit: Double
    private var lastAnalysed: Double?
    private var inEpisode = false
    /// Frames hidden whole so far.
    private(set) var concealedFrames = 0
    /// Runs of consecutive hidden frames so far.
    private(set) var episodes = 0

    /// A watch hiding frames more than `limit` seconds after the latest analysis.
    init(limit: Duration) {
        self.limit = limit.inSeconds
    }

    /// Whether `frame` is hidden whole; `startsEpisode` is true on the first frame of a run of
    /// hidden frames (to log it once).
    mutating func conceals(_ frame: FrameDetections) -> (conceals: Bool, startsEpisode: Bool) {
        let time = LookaheadBuffer.time(of: frame)
        if frame.isAnalyzed || lastAnalysed == nil || time < (lastAnalysed ?? time) {
            lastAnalysed = time
        }
        guard !frame.isAnalyzed, time - (lastAnalysed ?? time) > limit + 1e-6 else {
            inEpisode = false
            return (false, false)
        }
        concealedFrames += 1
        let starts = !inEpisode
        if starts { episodes += 1 }
        inEpisode = true
        return (true, starts)
    }
}
