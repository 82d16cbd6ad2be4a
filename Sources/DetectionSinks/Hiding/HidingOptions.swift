import VideoCore

/// The shape of the region hidden around a face.
public enum MaskShape: String, Sendable, CaseIterable {
    /// The rectangle of the scaled box, with soft edges.
    case rect
    /// The ellipse inscribed in the scaled box, with soft edges (the default: a face's outline).
    case ellipse
}

/// How an annotated video hides faces and zones (`--mask-*`, `--privacy-zone`, `--lookahead`,
/// `--fail-closed`); used by the hiding styles (`blur`, `pixelate`, `solid`). Privacy zones are
/// painted in every style, `box` included.
public struct HidingOptions: Sendable, Equatable {
    /// Each hidden region is the face box grown by this factor around its centre (`--mask-scale`,
    /// 1...3, default 1.3).
    public var maskScale: Float
    /// Rectangle or ellipse (`--mask-shape`, default ellipse).
    public var maskShape: MaskShape
    /// Polygons filled with black on every frame, whatever is detected (`--privacy-zone`).
    public var privacyZones: [Zone]
    /// Stream time of frames held back so that a face first found in frame N is hidden from
    /// N - lookahead on (`--lookahead`); nil: 0.5 s for files, 0 for live sources.
    public var lookahead: Duration?
    /// Live sources: hide whole frames when the latest analysed frame is older than this
    /// (`--fail-closed`, which uses `--hold`); nil: never.
    public var failClosedAfter: Duration?

    /// Default mask scale.
    public static let defaultMaskScale: Float = 1.3
    /// Mask scales accepted.
    public static let maskScaleRange: ClosedRange<Float> = 1...3
    /// Default lookahead of files, in seconds.
    public static let defaultFileLookahead = 0.5
    /// Longest lookahead accepted, in seconds (the frame cap `LookaheadBuffer.maximumFrames` may
    /// shorten it on fast sources).
    public static let maximumLookahead = 2.0

    /// Options with the documented defaults.
    public init(
        maskScale: Float = HidingOptions.defaultMaskScale, maskShape: MaskShape = .ellipse, privacyZones: [Zone] = [],
        lookahead: Duration? = nil, failClosedAfter: Duration? = nil
    ) {
        self.maskScale = maskScale
        self.maskShape = maskShape
        self.privacyZones = privacyZones
        self.lookahead = lookahead
        self.failClosedAfter = failClosedAfter
    }
}
