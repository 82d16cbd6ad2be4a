import VideoCore

/// The state machine behind `FrameSelection`: fed every frame in sequence order, answers whether
/// to analyse it.
struct FrameSelector {
    private let selection: FrameSelection
    /// The slot rule of `.maximumRate` (shared with sources that hand on only those frames).
    private var rateSelector: RateSelector?

    init(_ selection: FrameSelection) {
        switch selection {
        case .all: break
        case .everyNth(let n): precondition(n >= 1, "FrameSelection.everyNth needs n >= 1, got \(n)")
        case .maximumRate(let rate, let assumed):
            precondition(rate > 0 && rate.isFinite, "FrameSelection.maximumRate needs a rate > 0, got \(rate)")
            precondition(assumed.map { $0 > 0 && $0.isFinite } ?? true, "assumedFrameRate must be > 0")
        }
        self.selection = selection
        if case .maximumRate(let rate, _) = selection { rateSelector = RateSelector(RateSlots(framesPerSecond: rate)) }
    }

    /// Whether the frame numbered `sequence` after the source queue (source `index`, `pts`)
    /// is analysed.
    mutating func shouldAnalyze(sequence: Int, index: Int, pts: Double?) -> Bool {
        switch selection {
        case .all:
            return true
        case .everyNth(let n):
            return sequence % n == 0
        case .maximumRate(_, let assumedFrameRate):
            return rateSelector!.takes(time: pts ?? assumedFrameRate.map { Double(index) / $0 })
        }
    }
}
