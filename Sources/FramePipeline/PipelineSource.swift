import VideoCore

/// The producer end of a pipeline: a blocking supplier of frames, read on a dedicated thread.
///
/// `VideoCore.FrameSource` sources are wrapped by `FrameSourceAdapter`; tests script their own.
public protocol PipelineSource<Frame>: AnyObject, Sendable {
    /// The frame type produced.
    associatedtype Frame: PipelineFrame
    /// `.file`: the queue after the source blocks (nothing lost). `.live`: it drops the oldest frame.
    var pacing: SourcePacing { get }
    /// Blocks until the next frame; nil at the end (end of input, or after `stop()`). Throws when
    /// the source fails for good. Called from one dedicated thread only.
    func nextFrame() throws -> Frame?
    /// Asks a blocked or future `nextFrame()` to return nil soon. Thread-safe, idempotent.
    func stop()
}
