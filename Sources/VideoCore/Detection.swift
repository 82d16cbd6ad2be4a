/// An axis-aligned box in pixels of the source image: corners `(x1, y1)` top-left and `(x2, y2)`
/// bottom-right. Not clipped to the image: a face at the border may reach outside it.
public struct BoundingBox: Sendable, Hashable {
    public var x1: Float
    public var y1: Float
    public var x2: Float
    public var y2: Float

    public init(x1: Float, y1: Float, x2: Float, y2: Float) {
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2
    }

    /// Width in pixels, never negative.
    public var width: Float { max(0, x2 - x1) }
    /// Height in pixels, never negative.
    public var height: Float { max(0, y2 - y1) }
}

/// One detected face.
public struct Detection: Sendable, Hashable {
    /// Corners in pixels of the source image.
    public var box: BoundingBox
    /// Class probability from the network's softmax, 0...1.
    public var score: Float
    /// Class index in the model's output (1 = face; 2 = masked_face on 3-class models).
    public var classIndex: Int
    /// Class name: "face" or "masked_face".
    public var label: String
    /// The id of the track this face belongs to, when a tracker runs and has confirmed the track;
    /// ids count from 1 per source in a run and are never reused.
    public var track: Int?

    /// A face of class `classIndex` (named `label`) at `box`, scoring `score`.
    public init(box: BoundingBox, score: Float, classIndex: Int, label: String, track: Int? = nil) {
        self.box = box
        self.score = score
        self.classIndex = classIndex
        self.label = label
        self.track = track
    }
}
