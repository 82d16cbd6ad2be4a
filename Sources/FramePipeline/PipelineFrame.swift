import VideoCore

/// What the pipeline needs to know about a frame: its number in the source and its timestamp.
///
/// `VideoFrame` is the frame of the product; tests use small fakes that count how many frames are
/// alive, which a struct of pixels cannot do.
public protocol PipelineFrame: Sendable {
    /// Frame number in the source, counting every decoded frame from 0 (dropped ones included).
    var index: Int { get }
    /// Presentation time in seconds, nil when the stream has no timestamps.
    var pts: Double? { get }
}

extension VideoFrame: PipelineFrame {}
