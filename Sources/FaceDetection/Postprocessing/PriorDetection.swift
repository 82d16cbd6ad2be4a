import VideoCore

/// A detection with the prior (anchor) it comes from: an SSD detail that stays inside UltraFace,
/// used to compare with the reference's detections prior by prior.
public struct PriorDetection: Sendable, Hashable {
    /// The face.
    public var detection: Detection
    /// Row of the prior in the model's outputs.
    public var priorIndex: Int

    /// Pairs `detection` with its prior.
    public init(_ detection: Detection, priorIndex: Int) {
        self.detection = detection
        self.priorIndex = priorIndex
    }
}
