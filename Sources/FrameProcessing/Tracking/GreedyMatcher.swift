import VideoCore

/// Matches detections to tracks by IoU, best pairs first (for the handful of faces in a frame it
/// gives the Hungarian assignment's result in all but contrived cases, in O(n m log(n m))).
/// Keeps its pair list between frames.
struct GreedyMatcher: Sendable {
    private var pairs: [(iou: Float, face: Int, track: Int)] = []

    /// Assigns the faces passing `include` to tracks not yet `taken`, writing the track index into
    /// `assignment[face]` and marking the track taken. Pairs below `minimumIoU` never match.
    mutating func match(
        _ faces: [Detection], where include: (Detection) -> Bool, to tracks: [TrackState],
        onlyConfirmed: Bool = false, taken: inout [Bool], into assignment: inout [Int?], minimumIoU: Float
    ) {
        pairs.removeAll(keepingCapacity: true)
        for (faceIndex, face) in faces.enumerated() where assignment[faceIndex] == nil && include(face) {
            for (trackIndex, track) in tracks.enumerated()
            where !taken[trackIndex] && (!onlyConfirmed || track.id != nil) {
                let overlap = Self.intersectionOverUnion(face.box, track.motion.box)
                if overlap >= minimumIoU { pairs.append((overlap, faceIndex, trackIndex)) }
            }
        }
        // Best overlap first; ties by lower indices, so the result never depends on sort order.
        pairs.sort { ($0.iou, -$0.face, -$0.track) > ($1.iou, -$1.face, -$1.track) }
        for pair in pairs where assignment[pair.face] == nil && !taken[pair.track] {
            assignment[pair.face] = pair.track
            taken[pair.track] = true
        }
    }

    /// Intersection over union of two boxes in pixels (0 when either is empty).
    static func intersectionOverUnion(_ a: BoundingBox, _ b: BoundingBox) -> Float {
        let width = max(0, min(a.x2, b.x2) - max(a.x1, b.x1))
        let height = max(0, min(a.y2, b.y2) - max(a.y1, b.y1))
        let intersection = width * height
        let union = a.width * a.height + b.width * b.height - intersection
        return union > 0 ? intersection / union : 0
    }
}
