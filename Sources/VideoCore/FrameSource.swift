/// Whether a source can wait for its consumer (a file) or not (a camera, a network stream).
public enum SourcePacing: Sendable, Equatable {
    /// Frames are produced only as fast as they are consumed: nothing is dropped (back-pressure).
    case file
    /// Frames arrive in real time: when the consumer falls behind, the oldest waiting frame is
    /// dropped and counted.
    case live
}

/// What a source's `next()` returns.
public enum SourceEvent: Sendable {
    /// A decoded frame.
    case frame(VideoFrame)
    /// The source ended normally (end of file, or stopped by `stop()`).
    case end
}

/// Counters a source keeps, for the end-of-run summary, logs and metrics.
public struct SourceStatistics: Sendable, Equatable {
    /// Frames decoded and returned.
    public var framesDecoded: Int = 0
    /// Frames of the stream not handed on because no consumer needs them (a source told to keep
    /// only the frames an analysis rate cap analyses): decoded and dropped unconverted, or not
    /// decoded at all (`framesNotDecoded`). They keep their place in the frame numbering.
    public var framesPassedOver: Int = 0
    /// Of `framesPassedOver`, the non-reference frames the decoder was told to skip.
    public var framesNotDecoded: Int = 0
    /// Packets the decoder rejected as corrupt (decoding went on after them).
    public var corruptPackets: Int = 0
    /// Times a live source was lost.
    public var disconnects: Int = 0
    /// Times a lost live source was opened again.
    public var reconnects: Int = 0
    /// Frames in the whole source when known in advance (files with a frame count), else nil.
    public var expectedFrames: Int?
    /// Frames per second the stream declares (average rate), when it declares one; known once
    /// the source is open.
    public var nominalFrameRate: Double?

    public init() {}
}

/// A producer of decoded frames: a video file, a network stream, standard input or a camera.
///
/// `next()` blocks and must run on a thread of its own (never on the Swift cooperative pool);
/// one source belongs to one thread. `stop()` may be called from any thread and makes a blocked
/// `next()` return `.end` promptly.
public protocol FrameSource: AnyObject, Sendable {
    /// The input as the user named it (path, URL, "-", device), for records and messages.
    var name: String { get }
    /// File or live pacing; decides the queue's overflow policy.
    var pacing: SourcePacing { get }
    /// Blocks until the source is open, waiting for a missing camera or an unreachable URL as
    /// `next()` would (with back-off), so a caller can hold off starting threads for it; returns
    /// at once when it is open already or after `stop()`. Called on the thread that then hands
    /// the source to its reading thread (before that thread starts). Throws as `next()` would.
    func prepare() throws
    /// Blocks until the next frame or the end. Throws when the source fails for good.
    func next() throws -> SourceEvent
    /// Asks a blocked or future `next()` to return `.end` soon. Thread-safe, idempotent.
    func stop()
    /// Current counters. Thread-safe.
    var statistics: SourceStatistics { get }
}

extension FrameSource {
    /// Sources that open at once (files) have nothing to wait for.
    public func prepare() throws {}
}
