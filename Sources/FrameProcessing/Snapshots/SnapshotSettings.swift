/// How track snapshots are cropped (`--snapshot-margin`; the folder and the number kept belong
/// to the output that writes them).
public struct SnapshotSettings: Sendable, Equatable {
    /// Largest width or height of a kept crop, in pixels: a larger crop is scaled down (nearest
    /// sample) to this, so a track holds at most 1024 x 1024 x 3 bytes (3 MiB) while it lives.
    public static let defaultMaximumSide = 1024

    /// Margin added on each side of the face box, as a fraction of the box's width (left and
    /// right) and height (top and bottom); 0.25 by default. The crop is clipped to the picture.
    public var margin: Float
    /// Largest width or height of a crop in pixels (`defaultMaximumSide` unless a test says).
    public var maximumSide: Int

    /// Settings with the documented defaults.
    public init(margin: Float = 0.25, maximumSide: Int = defaultMaximumSide) {
        precondition(margin >= 0 && maximumSide >= 1, "SnapshotSettings: margin \(margin), side \(maximumSide)")
        self.margin = margin
        self.maximumSide = maximumSide
    }
}
