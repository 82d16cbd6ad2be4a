import VideoCore

/// Drops faces narrower or lower than a minimum number of pixels (`--min-face`, `min_face`), before
/// later processors, statistics and sinks see them.
public struct MinimumFaceSizeFilter: DetectionProcessor {
    /// Faces whose box is narrower or lower than this many pixels are dropped.
    public let minimumSide: Int

    /// A filter for faces of at least `minimumSide` pixels in width and height.
    public init(minimumSide: Int) {
        precondition(minimumSide >= 0, "minimum face size must not be negative, got \(minimumSide)")
        self.minimumSide = minimumSide
    }

    /// Removes the small faces from `faces` and from `shownFaces`.
    public mutating func process(_ frame: inout FrameDetections) {
        guard let faces = frame.faces else { return }
        let side = Float(minimumSide)
        let kept = faces.filter { $0.box.width >= side && $0.box.height >= side }
        frame.faces = kept
        frame.shownFaces = kept
    }
}
