/// Which frames are analysed. Frames not selected still reach the sink, marked as not analysed.
///
/// Selection happens after the source queue, in sequence order, so it counts only frames that
/// reached the pipeline (a live source's dropped frames are not counted).
public enum FrameSelection: Sendable, Equatable {
    /// Every frame (the default).
    case all
    /// The first frame and then every `n`th frame that reaches the pipeline (`--every N`).
    /// For files (no drops) these are the frames with `index % n == 0` when numbering starts at 0.
    case everyNth(Int)
    /// At most `framesPerSecond` frames per second of presentation time (`--fps F`): time is cut
    /// into slots of `1 / framesPerSecond` seconds and the first frame of each slot is analysed.
    /// Frames without pts use `index / assumedFrameRate` when that is given, else they are all
    /// analysed. A timestamp that goes backwards (a new stream after a reconnect) starts over.
    case maximumRate(framesPerSecond: Double, assumedFrameRate: Double? = nil)
}
