import VideoCore

/// Matches detections to tracks by IoU, best pairs first (for the handful of faces in a frame it
/// gives the Hungarian assignment's result in all but contrived cases, in O(n m log(n m))).
/// Keeps its pair list between frames and sorts it in place (heap sort), so a frame allocates
/// nothing once the list has grown: the standard library's sort takes a temporary buffer for
/// 64 elements or more.
struct GreedyMatcher: Sendable {
    /// A candidate match: a face, a track and the IoU between the face and the track's predicted box.
    struct Pair: Sendable, Equatable {
        var iou: Float
        var face: Int
        var track: Int

        /// The order in which pairs are taken: higher IoU first; ties by lower face, then lower
        /// track index, so the result never depends on the sort algorithm.
        static func precedes(_ a: Pair, _ b: Pair) -> Bool {
            if a.iou != b.iou { return a.iou > b.iou }
            if a.face != b.face { return a.face < b.face }
            return a.track < b.track
        }
    }

    private var pairs: [Pair] = []

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
                if overlap >= minimumIoU { pairs.append(Pair(iou: overlap, face: faceIndex, track: trackIndex)) }
            }
        }
        Self.sortInPlace(&pairs)
        for pair in pairs where assignment[pair.face] == nil && !taken[pair.track] {
            assignment[pair.face] = pair.track
            taken[pair.track] = true
        }
    }

    /// Gives lost tracks a second chance: each confirmed track not yet `taken` whose last match
    /// is older than `time` (it missed at least the previous analysed frame) may take a face
    /// passing `include` and not yet assigned whose centre lies within one face size (the larger
    /// side of the track's last matched box) of the track's predicted centre and whose height is
    /// within a factor of 2 of that box's; nearest pairs first. While a face is hidden, or half
    /// covered by a face passing in front of it, its track's velocity and size drift, and IoU with
    /// the prediction alone would start a new track when the face comes out.
    mutating func recover(
        _ faces: [Detection], where include: (Detection) -> Bool, to tracks: [TrackState], lostBefore time: Double,
        taken: inout [Bool], into assignment: inout [Int?]
    ) {
        pairs.removeAll(keepingCapacity: true)
        for (faceIndex, face) in faces.enumerated() where assignment[faceIndex] == nil && include(face) {
            for (trackIndex, track) in tracks.enumerated()
            where !taken[trackIndex] && track.id != nil && track.lastMatch < time {
                let last = track.latest.box
                let gate = max(1, max(last.width, last.height))
                let predicted = track.motion.box
                let dx = (face.box.x1 + face.box.x2 - predicted.x1 - predicted.x2) / 2
                let dy = (face.box.y1 + face.box.y2 - predicted.y1 - predicted.y2) / 2
                let distance = (dx * dx + dy * dy).squareRoot()
                let heightRatio = face.box.height / max(1, last.height)
                if distance < gate, heightRatio >= 0.5, heightRatio <= 2 {
                    // Nearest first: the closeness takes the place of the IoU in the pair order.
                    pairs.append(Pair(iou: 1 - distance / gate, face: faceIndex, track: trackIndex))
                }
            }
        }
        Self.sortInPlace(&pairs)
        for pair in pairs where assignment[pair.face] == nil && !taken[pair.track] {
            assignment[pair.face] = pair.track
            taken[pair.track] = true
        }
    }

    /// Sorts `pairs` by `Pair.precedes` without allocating: heap sort, O(n log n), in place.
    /// The order is total (no two pairs share face and track), so the result equals any other sort's.
    static func sortInPlace(_ pairs: inout [Pair]) {
        // A heap whose root is the pair taken last; each pass moves the root behind the heap.
        var end = pairs.count
        for start in stride(from: end / 2 - 1, through: 0, by: -1) { siftDown(&pairs, from: start, end: end) }
        while end > 1 {
            end -= 1
            (pairs[0], pairs[end]) = (pairs[end], pairs[0])
            siftDown(&pairs, from: 0, end: end)
        }
    }

    /// Restores the heap property below `root` within `pairs[0..<end]` (children of i: 2i+1, 2i+2;
    /// a parent never precedes its children).
    private static func siftDown(_ pairs: inout [Pair], from root: Int, end: Int) {
        var parent = root
        while true {
            let left = 2 * parent + 1
            guard left < end else { return }
            var child = left
            if left + 1 < end, Pair.precedes(pairs[left], pairs[left + 1]) { child = left + 1 }
            guard Pair.precedes(pairs[parent], pairs[child]) else { return }
            (pairs[parent], pairs[child]) = (pairs[child], pairs[parent])
            parent = child
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
