import VideoCore

/// Merges the whole-frame detections with those of the tiles.
///
/// 1. A tile detection touching an edge its tile shares with a neighbour (within 2 frame pixels)
///    is *cut*: the face may go on beyond the tile.
/// 2. Cut boxes from different tiles that overlap and cover the same span along the shared edge
///    (one-dimensional IoU >= 0.5) are joined into their union (best score kept).
/// 3. NMS over everything, whole boxes first (best score first), then cut ones: a box is dropped
///    when its IoU with a kept one of the same class is above the IoU threshold, or when it is cut
///    and more than half of it lies inside a kept one.
public enum TileMerger {
    /// A detection with where it came from.
    public struct Candidate: Sendable {
        public var detection: Detection
        /// Index of the tile it was found in; nil for the whole-frame pass.
        public var tile: Int?
        public var isCut: Bool

        public init(detection: Detection, tile: Int?, isCut: Bool) {
            self.detection = detection
            self.tile = tile
            self.isCut = isCut
        }
    }

    /// Frame pixels within which a box counts as touching a tile edge.
    static let edgeTolerance: Float = 2

    /// Whether `box` touches an edge of `tile` that another tile shares (not the frame's border).
    public static func isCut(_ box: BoundingBox, tile: TileGrid.Tile, frameWidth: Int, frameHeight: Int) -> Bool {
        let left = Float(tile.x)
        let top = Float(tile.y)
        let right = Float(tile.x + tile.width)
        let bottom = Float(tile.y + tile.height)
        return (tile.x > 0 && box.x1 <= left + edgeTolerance)
            || (tile.y > 0 && box.y1 <= top + edgeTolerance)
            || (tile.x + tile.width < frameWidth && box.x2 >= right - edgeTolerance)
            || (tile.y + tile.height < frameHeight && box.y2 >= bottom - edgeTolerance)
    }

    /// The merged detections, class by class in decreasing score within each.
    public static func merge(_ candidates: [Candidate], iouThreshold: Float) -> [Detection] {
        var pool = join(candidates)
        pool.sort { a, b in
            if a.isCut != b.isCut { return !a.isCut }
            return a.detection.score > b.detection.score
        }
        var kept: [Detection] = []
        for candidate in pool {
            let box = candidate.detection.box
            let suppressed = kept.contains { other in
                guard other.classIndex == candidate.detection.classIndex else { return false }
                if intersectionOverUnion(other.box, box) > iouThreshold { return true }
                return candidate.isCut && intersection(other.box, box) > 0.5 * area(box)
            }
            if !suppressed { kept.append(candidate.detection) }
        }
        return kept.sorted { a, b in
            a.classIndex != b.classIndex ? a.classIndex < b.classIndex : a.score > b.score
        }
    }

    /// Joins cut boxes of different tiles that are parts of one face.
    static func join(_ candidates: [Candidate]) -> [Candidate] {
        var pool = candidates
        var joined = true
        while joined {
            joined = false
            search: for i in pool.indices where pool[i].isCut {
                for j in pool.indices where j > i && pool[j].isCut && pool[j].tile != pool[i].tile {
                    let a = pool[i].detection
                    let b = pool[j].detection
                    guard a.classIndex == b.classIndex, intersection(a.box, b.box) > 0 else { continue }
                    let horizontal = span(a.box.y1, a.box.y2, b.box.y1, b.box.y2)
                    let vertical = span(a.box.x1, a.box.x2, b.box.x1, b.box.x2)
                    guard max(horizontal, vertical) >= 0.5 else { continue }
                    var union = a.score >= b.score ? a : b
                    union.box = BoundingBox(
                        x1: min(a.box.x1, b.box.x1), y1: min(a.box.y1, b.box.y1), x2: max(a.box.x2, b.box.x2),
                        y2: max(a.box.y2, b.box.y2))
                    pool[i] = Candidate(detection: union, tile: nil, isCut: false)
                    pool.remove(at: j)
                    joined = true
                    break search
                }
            }
        }
        return pool
    }

    /// One-dimensional IoU of two intervals.
    static func span(_ a1: Float, _ a2: Float, _ b1: Float, _ b2: Float) -> Float {
        let inner = max(0, min(a2, b2) - max(a1, b1))
        let outer = max(a2, b2) - min(a1, b1)
        return outer > 0 ? inner / outer : 0
    }

    static func area(_ box: BoundingBox) -> Float { max(0, box.x2 - box.x1) * max(0, box.y2 - box.y1) }

    static func intersection(_ a: BoundingBox, _ b: BoundingBox) -> Float {
        max(0, min(a.x2, b.x2) - max(a.x1, b.x1)) * max(0, min(a.y2, b.y2) - max(a.y1, b.y1))
    }

    static func intersectionOverUnion(_ a: BoundingBox, _ b: BoundingBox) -> Float {
        let inner = intersection(a, b)
        let union = area(a) + area(b) - inner
        return union > 0 ? inner / union : 0
    }
}
