import VideoCore

/// Carries the faces of the latest analysed frame to the frames after it that were not analysed
/// (`--every`, `--fps`, a failed analysis), as `shownFaces`: an annotated video keeps its boxes
/// and an anonymised one never shows a face unhidden between analysed frames. `faces` is left
/// alone, so JSON lines still say which frames were analysed.
public struct BoxHoldOver: DetectionProcessor {
    private var latest: [Detection] = []

    /// Holds nothing before the first analysed frame.
    public init() {}

    /// Remembers what an analysed frame shows (its faces, and what processors before it added,
    /// such as a tracker's low-score matches), or shows the remembered ones on a frame in between.
    public mutating func process(_ frame: inout FrameDetections) {
        if frame.isAnalyzed {
            latest = frame.shownFaces
        } else {
            frame.shownFaces = latest
        }
    }
}
