/// The state machine behind `FrameSelection`: fed every frame in sequence order, answers whether
/// to analyse it.
struct FrameSelector {
    /// Tolerance on `time * rate` so that frame times like 3/30 s land in the slot they name.
    private static let slotEpsilon = 1e-6

    private let selection: FrameSelection
    private var lastSlot: Double?

    init(_ selection: FrameSelection) {
        switch selection {
        case .all: break
        case .everyNth(let n): precondition(n >= 1, "FrameSelection.everyNth needs n >= 1, got \(n)")
        case .maximumRate(let rate, let assumed):
            precondition(rate > 0 && rate.isFinite, "FrameSelection.maximumRate needs a rate > 0, got \(rate)")
            precondition(assumed.map { $0 > 0 && $0.isFinite } ?? true, "assumedFrameRate must be > 0")
        }
        self.selection = selection
    }

    /// Whether the frame numbered `sequence` after the source queue (source `index`, `pts`)
    /// is analysed.
    mutating func shouldAnalyze(sequence: Int, index: Int, pts: Double?) -> Bool {
        switch selection {
        case .all:
            return true
        case .everyNth(let n):
            return sequence % n == 0
        case .maximumRate(let rate, let assumedFrameRate):
            guard let time = pts ?? assumedFrameRate.map({ Double(index) / $0 }), time.isFinite else {
                return true
            }
            let slot = (time * rate + Self.slotEpsilon).rounded(.down)
            if let lastSlot, slot == lastSlot { return false }
            lastSlot = slot
            return true
        }
    }
}
