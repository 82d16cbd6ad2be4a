import CoreSupport
import VideoCore

/// The tracker as hiding uses it (an in-order processor in place of `FaceTracker`): tracks the
/// faces as `FaceTracker` does, then adds to `shownFaces` (what is painted or hidden)
/// - the faces scoring at least the hide threshold that the tracker did not show (below the
///   report threshold and matched to no confirmed track);
/// - on analysed frames, the predicted box of every confirmed track that missed this frame, and
///   on frames between analysed ones the predicted box of every confirmed track, for up to
///   `hold` of stream time after the track's last detection.
/// `faces` (what is reported) stays exactly what the tracker reports.
public struct HoldingTracker: DetectionProcessor {
    private var tracker: FaceTracker
    private let hold: Double
    private let hideThreshold: Float

    /// A tracker with `tracking` whose track ends no sooner than `hiding.hold` after its last
    /// match (its maximum age is raised to the hold when shorter).
    public init(tracking: TrackerSettings, hiding: HidingSettings) {
        var settings = tracking
        if settings.maximumAge < hiding.hold { settings.maximumAge = hiding.hold }
        tracker = FaceTracker(settings: settings)
        hold = hiding.hold.inSeconds
        hideThreshold = hiding.hideThreshold
    }

    public mutating func process(_ frame: inout FrameDetections) {
        let time = tracker.streamTime(of: frame.frame)
        guard let candidates = frame.faces else {
            tracker.appendHeldFaces(at: time, hold: hold, unmatchedOnly: false, to: &frame.shownFaces)
            return
        }
        tracker.process(&frame)
        let report = tracker.settings.reportThreshold
        for face in candidates where face.score >= hideThreshold && face.score < report {
            // The tracker does not move boxes: a shown face with the same box is this face.
            if !frame.shownFaces.contains(where: { $0.box == face.box }) { frame.shownFaces.append(face) }
        }
        tracker.appendHeldFaces(at: time, hold: hold, unmatchedOnly: true, to: &frame.shownFaces)
    }

    public mutating func finish() -> [TrackEvent] { tracker.finish() }
}
