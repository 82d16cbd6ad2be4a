/// A face detector of one model family (UltraFace today), for one thread: it may own an inference
/// session and scratch memory, so an instance is never shared between threads (`DetectorModel`
/// makes one per worker).
public protocol FaceDetecting: AnyObject {
    /// Faces in `pixels`, in pixels of the whole picture. Sampled pixels must come from the
    /// model's `inputSampler`.
    func detect(in pixels: FramePixels) throws -> [Detection]
}

/// A loaded model of some family, shared by every worker of a run (immutable, thread-safe): makes
/// one `FaceDetecting` per worker thread. Family details (priors, anchors, output layouts) stay
/// behind it.
public protocol DetectorModel: Sendable {
    /// Network input width and height in pixels (for messages and benchmarks).
    var inputSize: (width: Int, height: Int) { get }
    /// What a detector reads of a picture, so a source's convert stage can hand on just that
    /// (`FrameConversion.sampled`); nil when the detector needs whole pictures.
    var inputSampler: (any PictureSampler)? { get }
    /// A new detector with its own scratch memory, for the calling thread.
    func makeDetector(_ thresholds: DetectionThresholds) -> any FaceDetecting
}

/// The two thresholds every detector family takes.
public struct DetectionThresholds: Sendable, Equatable {
    /// Faces scoring above this are reported (0 < t < 1).
    public var score: Float
    /// Non-maximum suppression drops a box overlapping a better one by more than this (0...1).
    public var iou: Float

    /// Thresholds `score` and `iou`.
    public init(score: Float, iou: Float) {
        self.score = score
        self.iou = iou
    }
}
