/// How `FaceTracker` follows faces (`--track-*` flags, `track_*` keys).
public struct TrackerSettings: Sendable, Equatable {
    /// Faces scoring at least this are reported and may start tracks (the detection threshold).
    public var reportThreshold: Float
    /// Faces scoring from this up to `reportThreshold` only keep existing tracks alive (the
    /// detector then runs at this threshold). Default 0.3.
    public var lowThreshold: Float
    /// Matched detections before a track is confirmed (gets its id). Default 2.
    public var minimumHits: Int
    /// Stream time without a match after which a track ends. Default 1 s.
    public var maximumAge: Duration
    /// Least IoU between a track's predicted box and a detection for them to match (SORT's 0.3).
    public var matchIoU: Float
    /// Frames per second assumed for frames without timestamps.
    public var assumedFrameRate: Double

    /// Settings with the documented defaults.
    public init(
        reportThreshold: Float, lowThreshold: Float = 0.3, minimumHits: Int = 2, maximumAge: Duration = .seconds(1),
        matchIoU: Float = 0.3, assumedFrameRate: Double = 25
    ) {
        self.reportThreshold = reportThreshold
        self.lowThreshold = min(lowThreshold, reportThreshold)
        self.minimumHits = max(1, minimumHits)
        self.maximumAge = maximumAge
        self.matchIoU = matchIoU
        self.assumedFrameRate = assumedFrameRate
    }
}
