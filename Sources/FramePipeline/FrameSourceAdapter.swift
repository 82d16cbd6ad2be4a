import VideoCore

/// Presents a `VideoCore.FrameSource` (FFmpeg file or stream, camera) as a `PipelineSource`.
public final class FrameSourceAdapter: PipelineSource {
    /// The wrapped source; its `statistics` stay available for the end-of-run summary.
    public let base: any FrameSource

    /// Wraps `base`; the adapter forwards every call and adds no state.
    public init(_ base: any FrameSource) {
        self.base = base
    }

    /// The wrapped source's pacing.
    public var pacing: SourcePacing { base.pacing }

    /// `base.next()`, with `.end` as nil.
    public func nextFrame() throws -> VideoFrame? {
        switch try base.next() {
        case .frame(let frame): frame
        case .end: nil
        }
    }

    /// `base.stop()`.
    public func stop() {
        base.stop()
    }
}
