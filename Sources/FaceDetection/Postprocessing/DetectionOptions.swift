/// Thresholds of the detection post-processing.
public struct DetectionOptions: Sendable, Equatable {
    /// A prior is a candidate for a class when its score is strictly greater (float32 compare).
    public var scoreThreshold: Float
    /// NMS drops a candidate whose IoU with an already picked box is strictly greater.
    public var iouThreshold: Float
    /// At most this many best candidates per class enter NMS.
    public var candidateLimit: Int

    /// Defaults are the upstream demo's: 0.7, 0.3, 200.
    public init(scoreThreshold: Float = 0.7, iouThreshold: Float = 0.3, candidateLimit: Int = 200) {
        self.scoreThreshold = scoreThreshold
        self.iouThreshold = iouThreshold
        self.candidateLimit = candidateLimit
    }
}
