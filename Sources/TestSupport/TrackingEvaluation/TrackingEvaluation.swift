/// How well the tracker followed the faces of one scenario, measured against the truth.
///
/// Each frame's reported boxes are matched to the true boxes of that frame greedily by IoU (best
/// pairs first, at least `minimumIoU`); a face is *detected* in a frame when one matches it. Per
/// true face, over its detected frames: the track ids it carried, id switches (the id differs
/// from the last id it carried), fragmentations (it carried an id, then none, then one again),
/// and the share of frames carrying its main (most frequent) id. Each track belongs to the face
/// it was matched to most; events count for that face, and tracks matched to no face are false.
public struct TrackingEvaluation: Sendable {
    /// One true face's figures.
    public struct FaceResult: Sendable {
        public var name: String
        /// Frames in which the truth has the face (drawn, inside the picture, at least half of it
        /// not covered by another face's crop).
        public var presentFrames = 0
        /// Frames in which a reported box matched it.
        public var detectedFrames = 0
        /// Distinct track ids it carried, in order of first use.
        public var tracks: [Int] = []
        /// Detected frames carrying its main track's id.
        public var coveredFrames = 0
        public var idSwitches = 0
        public var fragmentations = 0
        public var appeared = 0
        public var left = 0
        /// Which of its detected frames (1 = the first) confirmed its first track; nil if none did.
        public var confirmedAtDetection: Int?

        /// `coveredFrames / detectedFrames` (0 when never detected).
        public var coverage: Double { detectedFrames == 0 ? 0 : Double(coveredFrames) / Double(detectedFrames) }
    }

    public var scenario: TrackingScenario
    public var faces: [FaceResult]
    /// Track ids never matched to a true face.
    public var falseTracks: [Int]
    /// Broken latency rules of `appeared` lines (empty when every one came with its frame line).
    public var latencyProblems: [String]

    /// Least IoU between a reported and a true box for the face to count as detected.
    public static let minimumIoU = 0.4

    /// Evaluates `output` (what `detect --events` wrote for the scenario's clip).
    public init(_ scenario: TrackingScenario, output: TrackingOutput) {
        self.scenario = scenario
        let frames = output.frames
        var results = scenario.faces.map { FaceResult(name: $0.name) }
        // Per face, the track id (or nil) in each detected frame; per track, its frames per face.
        var sequences: [[(frame: Int, track: Int?)]] = Array(repeating: [], count: scenario.faces.count)
        var trackFaces: [Int: [Int: Int]] = [:]
        var allTracks = Set<Int>()
        for frame in 0..<scenario.frameCount {
            let reported = frames[frame] ?? []
            for case let track? in reported.map(\.track) { allTracks.insert(track) }
            let truths = scenario.faces.indices.map { scenario.truth($0, frame: frame) }
            for (face, truth) in truths.enumerated() where truth != nil { results[face].presentFrames += 1 }
            for (face, box) in Self.match(truths, reported.map(\.box)) {
                results[face].detectedFrames += 1
                let track = reported[box].track
                sequences[face].append((frame, track))
                if let track { trackFaces[track, default: [:]][face, default: 0] += 1 }
            }
        }
        // Each track belongs to the face it was matched to most (ties: the earlier face).
        var owner: [Int: Int] = [:]
        for (track, counts) in trackFaces {
            owner[track] = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
        }
        falseTracks = allTracks.filter { owner[$0] == nil }.sorted()
        for face in results.indices {
            Self.summarise(sequences[face], into: &results[face])
        }
        var firstAppeared: [Int: Int] = [:]
        for case .event(let kind, let track, let frame) in output.lines {
            guard let face = owner[track] else { continue }
            if kind == "appeared" {
                results[face].appeared += 1
                if firstAppeared[face] == nil { firstAppeared[face] = frame }
            } else if kind == "left" {
                results[face].left += 1
            }
        }
        for (face, frame) in firstAppeared {
            if let position = sequences[face].firstIndex(where: { $0.frame == frame }) {
                results[face].confirmedAtDetection = position + 1
            }
        }
        faces = results
        latencyProblems = Self.latencyProblems(output)
    }

    /// Pairs of (true face index, reported box index), best IoU first, each used once.
    static func match(_ truths: [TruthBox?], _ boxes: [TruthBox]) -> [(face: Int, box: Int)] {
        var pairs: [(iou: Double, face: Int, box: Int)] = []
        for (face, truth) in truths.enumerated() {
            guard let truth else { continue }
            for (index, box) in boxes.enumerated() {
                let iou = truth.intersectionOverUnion(box)
                if iou >= minimumIoU { pairs.append((iou, face, index)) }
            }
        }
        pairs.sort { ($0.iou, -$0.face, -$0.box) > ($1.iou, -$1.face, -$1.box) }
        var usedFaces = Set<Int>()
        var usedBoxes = Set<Int>()
        var result: [(face: Int, box: Int)] = []
        for pair in pairs where !usedFaces.contains(pair.face) && !usedBoxes.contains(pair.box) {
            usedFaces.insert(pair.face)
            usedBoxes.insert(pair.box)
            result.append((pair.face, pair.box))
        }
        return result
    }

    /// Tracks, main-track coverage, switches and fragmentations of one face's detected frames.
    static func summarise(_ sequence: [(frame: Int, track: Int?)], into result: inout FaceResult) {
        var counts: [Int: Int] = [:]
        var last: Int?
        var wasTracked = false
        var interrupted = false
        for (_, track) in sequence {
            guard let track else {
                if wasTracked { interrupted = true }
                continue
            }
            counts[track, default: 0] += 1
            if !result.tracks.contains(track) { result.tracks.append(track) }
            if let last, last != track { result.idSwitches += 1 }
            if interrupted { result.fragmentations += 1 }
            last = track
            wasTracked = true
            interrupted = false
        }
        result.coveredFrames = counts.values.max() ?? 0
    }

    /// Every `appeared` line must come directly before the frame line of the same frame (other
    /// event lines of that frame aside), whose faces carry the new id, and no earlier frame line
    /// may carry it (no delay).
    static func latencyProblems(_ output: TrackingOutput) -> [String] {
        var problems: [String] = []
        var seenTracks = Set<Int>()
        for (position, line) in output.lines.enumerated() {
            switch line {
            case .frame(_, let faces):
                for case let track? in faces.map(\.track) { seenTracks.insert(track) }
            case .event(let kind, let track, let frame):
                guard kind == "appeared" else { continue }
                if seenTracks.contains(track) {
                    problems.append("track \(track): appeared at frame \(frame), after frame lines that carry its id")
                }
                // Other events of the same frame may come between it and the frame line.
                let following = output.lines[(position + 1)...].first {
                    if case .event(_, _, frame) = $0 { return false } else { return true }
                }
                guard case .frame(let next, let faces)? = following else {
                    problems.append("track \(track): appeared at frame \(frame) is not followed by a frame line")
                    continue
                }
                if next != frame || !faces.contains(where: { $0.track == track }) {
                    problems.append("track \(track): appeared at frame \(frame), next frame line \(next) lacks it")
                }
            }
        }
        return problems
    }
}
