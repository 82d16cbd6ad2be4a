/// A crop of one face to be saved as a track's snapshot: handed by the snapshot processor (on the
/// in-order thread) to a `SnapshotWriting` output.
public struct TrackSnapshot: Sendable {
    /// The track the face belongs to.
    public var track: Int
    /// Frame index (`VideoFrame.index`) the crop was taken from.
    public var frame: Int
    /// The crop, already copied out of the frame (the frame's pixels are not kept).
    public var image: RGBImage

    /// The crop `image` of `track` taken from `frame`.
    public init(track: Int, frame: Int, image: RGBImage) {
        self.track = track
        self.frame = frame
        self.image = image
    }
}

/// Where snapshots go: an output that encodes and writes them away from the frame path. The
/// snapshot processor (in `FrameProcessing`) only knows this protocol; the JPEG-writing output
/// is injected by the composition root.
public protocol SnapshotWriting: AnyObject {
    /// Queues `snapshot` without waiting and returns the path its file will have once written
    /// (it appears whole, by rename), or nil when it was not queued (the queue was full, or
    /// writing has stopped after a failure); a nil is counted as a drop. Called on the in-order
    /// thread.
    func submit(_ snapshot: TrackSnapshot) -> String?
}
