import VideoCore

/// Carries the faces of the latest analysed frame to the frames after it that were not analysed
/// (`--every`, `--fps`, a failed analysis), as `shownFaces`: an annotated video keeps its boxes
/// and an anonymised one never shows a face unhidden between analysed frames. `faces` is left
/// alone, so JSON lines still say which frames were analysed.
///
/// When a processor before it already put faces on a frame in between (`HoldingTracker`: the
/// predicted boxes of tracks, moved to this frame), those stay, and only the remembered faces of
/// other tracks (or of no track) are added: a face is never hidden less than without the hold.
public struct BoxHoldOver: DetectionProcessor {
    private var latest: [Detection] = []

    /// Holds nothing before the first analysed frame.
    public init() {}

    /// Remembers what an analysed frame shows (its faces, and what processors before it added,
    /// such as a tracker's low-score matches), or shows the remembered ones on a frame in between.
    public mutating func process(_ frame: inout FrameDetections) {
        if frame.isAnalyzed {
            latest = frame.shownFaces
        } else if frame.shownFaces.isEmpty {
            frame.shownFaces = latest
        } else {
            for face in latest where face.track == nil || !frame.shownFaces.contains(where: { $0.track == face.track })
            {
                frame.shownFaces.append(face)
            }
        }
    }
}
