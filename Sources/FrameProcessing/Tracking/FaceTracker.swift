import CoreSupport
import VideoCore

/// Follows faces across the analysed frames of one stream (an in-order processor): SORT's
/// constant-velocity Kalman prediction with IoU matching, and ByteTrack's second pass, in which
/// detections scoring between `lowThreshold` and the report threshold keep existing tracks alive
/// without starting new ones (so a face that dips below the threshold keeps its id).
///
/// Per analysed frame: every track is predicted to the frame's stream time; detections at or
/// above the report threshold are matched to tracks greedily by IoU (best pairs first), then
/// the low ones to the tracks left; then confirmed tracks that missed the previous frame may
/// take a reported detection near their prediction (`GreedyMatcher.recover`: a face coming out
/// from behind another, whose track drifted while it was half covered); matched tracks are
/// corrected, unmatched reported detections start tentative tracks. A track is confirmed (gets the next id) after `minimumHits` matches
/// (low detections match confirmed tracks only, so they never confirm one);
/// a tentative track missed once is dropped; a confirmed one ends after `maximumAge` of stream
/// time without a match. Reported faces of confirmed tracks carry their id; low detections are
/// not reported, but those matched to a confirmed track are shown (painted or hidden).
public struct FaceTracker: DetectionProcessor {
    let settings: TrackerSettings
    // Read by the hiding hold (`FaceTracker+Hold.swift`); changed only here.
    private(set) var tracks: [TrackState] = []
    private var nextID = 1
    private(set) var lastTime: Double?
    private var matcher = GreedyMatcher()
    // Scratch kept between frames, so a frame allocates nothing once they have grown: which
    // tracks are taken and each face's track. The faces themselves are edited in the frame's own
    // array (see `process`), never in an array the tracker hands out and would have to reuse
    // while a sink or the hold-over still holds it.
    private var taken: [Bool] = []
    private var assignment: [Int?] = []

    /// A tracker with `settings`, holding no track.
    public init(settings: TrackerSettings) {
        self.settings = settings
    }

    /// Tracks the frame's faces; frames that were not analysed are left alone.
    ///
    /// The faces are labelled in the frame's own array: the tracker takes it out of the frame
    /// first, so unless the caller still holds it, it is edited in place and a frame without
    /// events allocates nothing once the scratch has grown.
    public mutating func process(_ frame: inout FrameDetections) {
        guard var faces = frame.faces else { return }
        // The frame's two references (faces, and shown faces, which start as the same array) go,
        // so `faces` is the only one left.
        frame.faces = nil
        frame.shownFaces = []
        let now = streamTime(of: frame.frame)
        // Time going back is a new time line (a reconnected stream): every track ends.
        let restarted = lastTime.map { now < $0 - 1e-3 } ?? false
        let elapsed = Float(max(0, now - (lastTime ?? now)))
        let previousTime = lastTime ?? now
        lastTime = now
        // Tracks unmatched for longer than the maximum age have ended: they match nothing now.
        let maximumAge = settings.maximumAge.inSeconds
        endTracks(into: &frame.events) { restarted || now - $0.lastMatch > maximumAge }
        for index in tracks.indices { tracks[index].motion.predict(seconds: elapsed) }

        let report = settings.reportThreshold
        taken.removeAll(keepingCapacity: true)
        taken.append(contentsOf: repeatElement(false, count: tracks.count))
        assignment.removeAll(keepingCapacity: true)
        assignment.append(contentsOf: repeatElement(nil, count: faces.count))
        matcher.match(
            faces, where: { $0.score >= report }, to: tracks, taken: &taken, into: &assignment,
            minimumIoU: settings.matchIoU)
        // Low scores keep confirmed tracks alive; they never confirm a tentative one.
        matcher.match(
            faces, where: { $0.score < report && $0.score >= settings.lowThreshold }, to: tracks, onlyConfirmed: true,
            taken: &taken, into: &assignment, minimumIoU: settings.matchIoU)
        // A confirmed track that missed the previous frame (a face hidden, or passing behind
        // another) may have coasted away from its face: found again near its prediction.
        matcher.recover(
            faces, where: { $0.score >= report }, to: tracks, lostBefore: previousTime, taken: &taken,
            into: &assignment)

        let video = frame.frame
        for faceIndex in faces.indices {
            let face = faces[faceIndex]
            let sighting = TrackEvent.Sighting(
                frame: video.index, pts: video.pts, receivedAt: video.receivedAt, box: face.box, score: face.score)
            var trackIndex = assignment[faceIndex]
            if let matched = trackIndex {
                tracks[matched].match(sighting, at: now)
            } else if face.score >= report {
                tracks.append(TrackState(sighting, at: now))
                taken.append(true)
                trackIndex = tracks.count - 1
            }
            if let index = trackIndex {
                if tracks[index].id == nil, tracks[index].hits >= settings.minimumHits {
                    tracks[index].id = nextID
                    nextID += 1
                    frame.events.append(tracks[index].event(.appeared))
                }
                faces[faceIndex].track = tracks[index].id
            }
        }
        // A tentative track missed once is dropped (it never appeared, so no event).
        var kept = 0
        for index in tracks.indices where tracks[index].id != nil || taken[index] {
            tracks[kept] = tracks[index]
            kept += 1
        }
        tracks.removeLast(tracks.count - kept)
        hand(&faces, to: &frame)
    }

    /// Gives the labelled `faces` back to `frame`, in their order: shown are the reported faces
    /// (at or above the report threshold) and the low ones that kept a confirmed track alive;
    /// the other low ones are dropped. Compacts `faces` in place and, in the usual case where no
    /// low face is shown, gives the same array as reported and shown faces: no allocation. A frame
    /// with a shown low face needs a second array for the reported ones.
    private func hand(_ faces: inout [Detection], to frame: inout FrameDetections) {
        let report = settings.reportThreshold
        var shown = 0
        var lowShown = false
        for index in faces.indices where faces[index].score >= report || faces[index].track != nil {
            lowShown = lowShown || faces[index].score < report
            if shown != index { faces[shown] = faces[index] }
            shown += 1
        }
        faces.removeLast(faces.count - shown)
        frame.faces = lowShown ? faces.filter { $0.score >= report } : faces
        frame.shownFaces = faces
    }

    /// Every confirmed track still open ends with the run.
    public mutating func finish() -> [TrackEvent] {
        var events: [TrackEvent] = []
        endTracks(into: &events) { _ in true }
        return events
    }

    /// Removes the tracks `ends` picks, with a `left` event for each confirmed one.
    private mutating func endTracks(into events: inout [TrackEvent], where ends: (TrackState) -> Bool) {
        var kept = 0
        for index in tracks.indices {
            if ends(tracks[index]) {
                if tracks[index].id != nil { events.append(tracks[index].event(.left)) }
            } else {
                tracks[kept] = tracks[index]
                kept += 1
            }
        }
        tracks.removeLast(tracks.count - kept)
    }
}

/// One track's state.
struct TrackState: Sendable {
    var id: Int?
    var motion: BoxMotion
    var hits = 1
    /// Stream time of the last match, in seconds.
    var lastMatch: Double
    let first: TrackEvent.Sighting
    var latest: TrackEvent.Sighting
    var best: TrackEvent.Sighting

    init(_ sighting: TrackEvent.Sighting, at time: Double) {
        motion = BoxMotion(box: sighting.box)
        lastMatch = time
        first = sighting
        latest = sighting
        best = sighting
    }

    mutating func match(_ sighting: TrackEvent.Sighting, at time: Double) {
        motion.update(with: sighting.box)
        hits += 1
        lastMatch = time
        latest = sighting
        // The best picture: the highest score, then the largest face.
        let area = sighting.box.width * sighting.box.height
        if (sighting.score, area) > (best.score, best.box.width * best.box.height) { best = sighting }
    }

    /// The event of `kind` about this (confirmed) track now.
    func event(_ kind: TrackEvent.Kind) -> TrackEvent {
        TrackEvent(kind: kind, track: id ?? 0, first: first, latest: latest, best: best, frames: hits)
    }
}
