import FramePipeline

/// A frame with no pixels: an index, a timestamp and, optionally, a token that counts it alive.
struct FakeFrame: PipelineFrame {
    var index: Int
    var pts: Double?
    var token: FrameLifeToken?
}
