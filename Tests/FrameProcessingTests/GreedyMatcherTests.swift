import Testing
import VideoCore

@testable import FrameProcessing

/// The matcher's in-place heap sort against the standard library's sort (the reference), on
/// random pair lists of odd sizes with many tied overlaps, and the greedy choice it feeds.
struct GreedyMatcherTests {
    @Test(arguments: [0, 1, 2, 3, 7, 63, 64, 65, 200, 1001])
    func heapSortGivesTheStandardSortsOrder(count: Int) {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D &+ UInt64(count)
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        // Few distinct IoU values, so the face and track tie-breaks decide often.
        var pairs: [GreedyMatcher.Pair] = []
        var seen = Set<[Int]>()
        while pairs.count < count {
            let face = next(40)
            let track = next(40)
            guard seen.insert([face, track]).inserted else { continue }
            pairs.append(GreedyMatcher.Pair(iou: Float(next(5)) / 4, face: face, track: track))
        }
        let expected = pairs.sorted(by: GreedyMatcher.Pair.precedes)
        GreedyMatcher.sortInPlace(&pairs)
        #expect(pairs == expected)
    }

    @Test func theBestOverlapsAreTakenFirstAndBelowTheMinimumNever() {
        func face(_ x: Float) -> Detection {
            Detection(box: BoundingBox(x1: x, y1: 0, x2: x + 10, y2: 10), score: 0.9, classIndex: 1, label: "face")
        }
        let tracks = [0, 4, 30].map {
            TrackState(.init(frame: 0, pts: 0, receivedAt: nil, box: face($0).box, score: 0.9), at: 0)
        }
        var matcher = GreedyMatcher()
        var taken = [false, false, false]
        var assignment: [Int?] = [nil, nil, nil]
        // Face 0 overlaps track 1 best (IoU 1) and track 0 (0.43); face 1 overlaps track 0 (0.82) and
        // track 1 (0.54); face 2 overlaps nothing enough.
        matcher.match(
            [face(4), face(1), face(18)], where: { _ in true }, to: tracks, taken: &taken, into: &assignment,
            minimumIoU: 0.3)
        #expect(assignment == [1, 0, nil])
        #expect(taken == [true, true, false])
    }
}
