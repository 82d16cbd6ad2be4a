import CoreSupport
import VideoCore

/// Follows faces across the analysed frames of one stream (an in-order processor): SORT's
/// constant-velocity Kalman prediction with IoU matching, and ByteTrack's second pass, in which
/// detections scoring between `lowThreshold` and the report threshold keep existing tracks alive
/// without starting new ones (so a face that dips below the threshold keeps its id).
///
/// Per analysed frame: every track is predicted to the frame's stream time; detections at or
/// above the report threshold are matched to tracks greedily by IoU (best pairs first), then
/// the low ones to the tracks left; matched tracks are corrected, unmatched reported detections
/// start tentative tracks. A track is confirmed (gets the next id) after `minimumHits` matches
/// (low detections match confirmed tracks only, so they never confirm one);
/// a tentative track missed once is dropped; a confirmed one ends after `maximumAge` of stream
/// time without a match. Reported faces of confirmed tracks carry their id; low detections are
/// not reported, but those matched to a confirmed track are shown (painted or hidden).
public struct FaceTracker: DetectionProcessor {
    let settings: TrackerSettings
    private var tracks: [TrackState] = []
    private var nextID = 1
    private var lastTime: Double?
    private var matcher = GreedyMatcher()

    /// A tracker with `settings`, holding no track.
    public init(settings: TrackerSettings) {
        self.settings = settings
    }

    /// Tracks alive now (tentative and confirmed).
    public var activeTracks: Int { tracks.count }
    /// Confirmed tracks alive now.
    public var confirmedTracks: Int { tracks.reduce(0) { $0 + ($1.id == nil ? 0 : 1) } }

    /// Tracks the frame's faces; frames that were not analysed are left alone.
    public mutating func process(_ frame: inout FrameDetections) {
        guard let faces = frame.faces else { return }
        let now = frame.frame.pts ?? Double(frame.frame.index) / settings.assumedFrameRate
        if let lastTime, now < lastTime - 1e-3 { tracks.removeAll(keepingCapacity: true) }  // a new time line
        let elapsed = Float(max(0, now - (lastTime ?? now)))
        lastTime = now
        // Tracks unmatched for longer than the maximum age have ended: they match nothing now.
        let maximumAge = settings.maximumAge.inSeconds
        tracks.removeAll { now - $0.lastMatch > maximumAge }
        for index in tracks.indices { tracks[index].motion.predict(seconds: elapsed) }

        let report = settings.reportThreshold
        var taken = [Bool](repeating: false, count: tracks.count)
        var assignment = [Int?](repeating: nil, count: faces.count)
        matcher.match(
            faces, where: { $0.score >= report }, to: tracks, taken: &taken, into: &assignment,
            minimumIoU: settings.matchIoU)
        // Low scores keep confirmed tracks alive; they never confirm a tentative one.
        matcher.match(
            faces, where: { $0.score < report && $0.score >= settings.lowThreshold }, to: tracks, onlyConfirmed: true,
            taken: &taken, into: &assignment, minimumIoU: settings.matchIoU)

        var reported: [Detection] = []
        var shown: [Detection] = []
        for (faceIndex, face) in faces.enumerated() {
            var labelled = face
            if let trackIndex = assignment[faceIndex] {
                tracks[trackIndex].match(face.box, at: now)
                if tracks[trackIndex].id == nil, tracks[trackIndex].hits >= settings.minimumHits {
                    tracks[trackIndex].id = nextID
                    nextID += 1
                }
                labelled.track = tracks[trackIndex].id
            } else if face.score >= report {
                tracks.append(TrackState(box: face.box, at: now))
                taken.append(true)
                if settings.minimumHits <= 1 {
                    tracks[tracks.count - 1].id = nextID
                    nextID += 1
                    labelled.track = tracks[tracks.count - 1].id
                }
            }
            if face.score >= report {
                reported.append(labelled)
                shown.append(labelled)
            } else if labelled.track != nil {
                shown.append(labelled)
            }
        }
        var kept = 0
        for index in tracks.indices {
            let track = tracks[index]
            let missedNow = index < taken.count && !taken[index]
            let gone = track.id == nil ? missedNow : now - track.lastMatch > maximumAge
            if !gone {
                tracks[kept] = track
                kept += 1
            }
        }
        tracks.removeLast(tracks.count - kept)
        frame.faces = reported
        frame.shownFaces = shown
    }
}

/// One track's state.
struct TrackState: Sendable {
    var id: Int?
    var motion: BoxMotion
    var hits = 1
    var lastMatch: Double

    init(box: BoundingBox, at time: Double) {
        motion = BoxMotion(box: box)
        lastMatch = time
    }

    mutating func match(_ box: BoundingBox, at time: Double) {
        motion.update(with: box)
        hits += 1
        lastMatch = time
    }
}
