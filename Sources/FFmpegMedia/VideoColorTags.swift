import VideoCore

/// The colour description an encoded video is tagged with, so players turn its YUV back into the
/// right RGB: the matrix (ITU-T H.273 `MatrixCoefficients` code) and the range.
public struct VideoColorTags: Sendable, Equatable {
    /// H.273 matrix code: 1 BT.709, 5 or 6 BT.601, 9 BT.2020 (FFmpeg's `AVColorSpace` values).
    public var matrixCode: Int
    /// Full range (JPEG, 0...255 luma) instead of limited (16...235).
    public var fullRange: Bool

    /// BT.601 (SMPTE 170M) limited range by default: what RGB pictures are converted to.
    public init(matrixCode: Int = 6, fullRange: Bool = false) {
        self.matrixCode = matrixCode
        self.fullRange = fullRange
    }

    /// The tags of `picture`'s planes.
    public init(of picture: YUV420Picture) {
        self.init(matrixCode: picture.matrixCode, fullRange: picture.isFullRange)
    }
}
