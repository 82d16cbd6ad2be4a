import Foundation

/// Something that happened to a track: a face appeared (its track was confirmed) or left (its
/// track ended). Made by the tracker, written by the sinks as event lines.
public struct TrackEvent: Sendable, Equatable {
    /// One matched sighting of the face.
    public struct Sighting: Sendable, Equatable {
        /// Frame index in the source.
        public var frame: Int
        /// Presentation time in seconds, when the stream has timestamps.
        public var pts: Double?
        /// Wall-clock arrival time, for live sources.
        public var receivedAt: Date?
        /// The face's box in that frame.
        public var box: BoundingBox
        /// Its score.
        public var score: Float

        /// A sighting in `frame` at `pts`.
        public init(frame: Int, pts: Double?, receivedAt: Date?, box: BoundingBox, score: Float) {
            self.frame = frame
            self.pts = pts
            self.receivedAt = receivedAt
            self.box = box
            self.score = score
        }
    }

    /// What happened.
    public enum Kind: String, Sendable, Equatable {
        /// The track was confirmed: `latest` is the confirming sighting.
        case appeared
        /// The track ended: `latest` is its last sighting.
        case left
    }

    public var kind: Kind
    /// The track's id.
    public var track: Int
    /// The first sighting of the track.
    public var first: Sighting
    /// The sighting the event is about: the confirming one (`appeared`) or the last (`left`).
    public var latest: Sighting
    /// The best sighting so far (highest score, then largest box).
    public var best: Sighting
    /// Matched frames so far.
    public var frames: Int
    /// Path of the track's snapshot file (`--snapshots`): the confirming sighting's crop for
    /// `appeared`, the best crop for `left`. Set by the snapshot processor before the sinks see the
    /// event; the file appears shortly after (written in the background, renamed into place whole)
    /// unless its write fails. Nil without snapshots, or when the snapshot was dropped.
    public var snapshot: String?

    /// An event of `kind` for `track`.
    public init(
        kind: Kind, track: Int, first: Sighting, latest: Sighting, best: Sighting, frames: Int, snapshot: String? = nil
    ) {
        self.kind = kind
        self.track = track
        self.first = first
        self.latest = latest
        self.best = best
        self.frames = frames
        self.snapshot = snapshot
    }
}
