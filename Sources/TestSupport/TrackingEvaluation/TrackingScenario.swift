import Foundation

/// A clip with known identities for evaluating the tracker (issue 11): face crops from the shared
/// photos moved across a plain background along straight paths, so the true box of every face in
/// every frame is known to the generator. `makeClip` renders it with the real ffmpeg (overlay
/// filters whose x and y are expressions of the frame number).
public struct TrackingScenario: Sendable {
    /// Short name, used for the clip's file name and the table row (`enter-leave`, `crossing` ...).
    public var name: String
    /// What the scenario tests, in a few words.
    public var summary: String
    /// Frames in the clip, at `framesPerSecond`.
    public var frameCount: Int
    /// The faces, drawn in this order (a later face covers an earlier one where they overlap).
    public var faces: [ScriptedFace]
    /// Pairs of faces whose paths cross: each may cost at most one id switch.
    public var crossings: Int

    /// Canvas size and rate of every clip.
    public static let width = 640
    public static let height = 480
    public static let framesPerSecond = 25

    /// The true box of the face at `index` in `frame`, clipped to the canvas; nil when it is not
    /// drawn then, wholly outside the picture, or mostly covered: less than half of its box left
    /// visible by the crops drawn over it (the faces after it in `faces`).
    public func truth(_ index: Int, frame: Int) -> TruthBox? {
        let face = faces[index]
        guard face.isDrawn(at: frame) else { return nil }
        let box = face.box(at: frame)
        let clipped = TruthBox(
            x1: max(0, box.x1), y1: max(0, box.y1), x2: min(Double(Self.width), box.x2),
            y2: min(Double(Self.height), box.y2))
        guard clipped.x2 > clipped.x1, clipped.y2 > clipped.y1 else { return nil }
        let covers = faces[(index + 1)...].filter { $0.isDrawn(at: frame) }.map { $0.cropBox(at: frame) }
        guard !covers.isEmpty else { return clipped }
        // The visible share, counted on a 1-pixel grid over the face's box.
        var visible = 0
        var total = 0
        for y in stride(from: box.y1 + 0.5, to: box.y2, by: 1) {
            for x in stride(from: box.x1 + 0.5, to: box.x2, by: 1) {
                total += 1
                if !covers.contains(where: { x >= $0.x1 && x < $0.x2 && y >= $0.y1 && y < $0.y2 }) { visible += 1 }
            }
        }
        return visible * 2 >= total ? clipped : nil
    }
}

/// A box in pixels (corners), as the truth gives it.
public struct TruthBox: Sendable, Equatable {
    public var x1: Double
    public var y1: Double
    public var x2: Double
    public var y2: Double

    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2
    }

    public var area: Double { max(0, x2 - x1) * max(0, y2 - y1) }

    /// Intersection over union (0 when either box is empty).
    public func intersectionOverUnion(_ other: TruthBox) -> Double {
        let width = max(0, min(x2, other.x2) - max(x1, other.x1))
        let height = max(0, min(y2, other.y2) - max(y1, other.y1))
        let intersection = width * height
        let union = area + other.area - intersection
        return union > 0 ? intersection / union : 0
    }
}

/// One face of a scenario: a crop of a shared photo and its path.
public struct ScriptedFace: Sendable {
    /// Its name in reports (`A`, `B` ...).
    public var name: String
    /// The crop: a face of the shared photos with a margin around it.
    public var crop: FaceCrop
    /// Where the crop's top-left corner is in frame 0, in canvas pixels (even: ffmpeg places
    /// overlays on 4:2:0 pictures at even positions).
    public var start: (x: Int, y: Int)
    /// How far it moves per frame, in pixels (even, for the same reason).
    public var step: (x: Int, y: Int) = (0, 0)
    /// Frames in which the face is not drawn (hidden), if any.
    public var hidden: ClosedRange<Int>? = nil

    public init(
        _ name: String, _ crop: FaceCrop, start: (x: Int, y: Int), step: (x: Int, y: Int) = (0, 0),
        hidden: ClosedRange<Int>? = nil
    ) {
        precondition(
            [start.x, start.y, step.x, step.y].allSatisfy { $0 % 2 == 0 }, "positions and steps must be even")
        self.name = name
        self.crop = crop
        self.start = start
        self.step = step
        self.hidden = hidden
    }

    /// The crop's top-left corner in `frame`.
    public func position(at frame: Int) -> (x: Int, y: Int) {
        (start.x + step.x * frame, start.y + step.y * frame)
    }

    /// Whether the face is drawn in `frame`.
    public func isDrawn(at frame: Int) -> Bool { !(hidden?.contains(frame) ?? false) }

    /// The whole crop's rectangle in `frame` (unclipped).
    public func cropBox(at frame: Int) -> TruthBox {
        let (x, y) = position(at: frame)
        return TruthBox(
            x1: Double(x), y1: Double(y), x2: Double(x + crop.width), y2: Double(y + crop.height))
    }

    /// The face's box in `frame` (unclipped).
    public func box(at frame: Int) -> TruthBox {
        let (x, y) = position(at: frame)
        let face = crop.faceInCrop
        return TruthBox(
            x1: face.x1 + Double(x), y1: face.y1 + Double(y), x2: face.x2 + Double(x), y2: face.y2 + Double(y))
    }
}

/// A face cut out of a shared photo: the face's box there is the golden RFB-320 detection
/// (`shared/golden/detections/RFB-320/imgs_N.json`, rounded to whole pixels), the crop adds
/// `margin` pixels on every side.
public struct FaceCrop: Sendable {
    /// The photo, relative to `shared/images`.
    public var photo: String
    /// The face's box in the photo.
    public var face: TruthBox
    /// The crop rectangle in the photo.
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(photo: String, face: TruthBox, margin: Int = 16) {
        self.photo = photo
        self.face = face
        x = Int(face.x1) - margin
        y = Int(face.y1) - margin
        width = Int(face.x2 - face.x1) + 2 * margin
        height = Int(face.y2 - face.y1) + 2 * margin
    }

    /// The face's box relative to the crop's top-left corner.
    public var faceInCrop: TruthBox {
        TruthBox(
            x1: face.x1 - Double(x), y1: face.y1 - Double(y), x2: face.x2 - Double(x), y2: face.y2 - Double(y))
    }

    /// Five faces of different people (each about 64x86 px; E is 84x106).
    public static let a = FaceCrop(photo: "imgs/13.jpg", face: TruthBox(x1: 91, y1: 18, x2: 155, y2: 103))
    public static let b = FaceCrop(photo: "imgs/13.jpg", face: TruthBox(x1: 299, y1: 84, x2: 362, y2: 171))
    public static let c = FaceCrop(photo: "imgs/19.jpg", face: TruthBox(x1: 184, y1: 165, x2: 252, y2: 253))
    public static let d = FaceCrop(photo: "imgs/21.jpg", face: TruthBox(x1: 665, y1: 308, x2: 728, y2: 395))
    public static let e = FaceCrop(photo: "imgs/12.jpg", face: TruthBox(x1: 470, y1: 100, x2: 554, y2: 206))
}
