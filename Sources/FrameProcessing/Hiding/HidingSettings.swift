/// What the in-order processors do for a hiding style (`--style blur|pixelate|solid` with
/// `--annotate`): hold tracked faces over missed detections and hide low-scoring faces.
public struct HidingSettings: Sendable, Equatable {
    /// Stream time a confirmed track's predicted box stays hidden after its last detection
    /// (`--hold`, default 1 s; 0: only detected faces are hidden).
    public var hold: Duration
    /// Faces scoring at least this are hidden even when below the report threshold (they are
    /// not reported). `--hide-threshold`, default 0.5.
    public var hideThreshold: Float
    /// Whether the user asked for tracks (`--tracks` or an output that implies it); when not,
    /// the tracker runs for hiding only and its ids and events are removed from the outputs.
    public var reportsTracks: Bool

    /// Default hold, in seconds.
    public static let defaultHold = 1.0
    /// Default hide threshold.
    public static let defaultHideThreshold: Float = 0.5
    /// Longest hold accepted, in seconds.
    public static let maximumHold = 60.0

    /// Settings with the documented defaults.
    public init(
        hold: Duration = .milliseconds(1000), hideThreshold: Float = HidingSettings.defaultHideThreshold,
        reportsTracks: Bool = false
    ) {
        self.hold = hold
        self.hideThreshold = hideThreshold
        self.reportsTracks = reportsTracks
    }
}
