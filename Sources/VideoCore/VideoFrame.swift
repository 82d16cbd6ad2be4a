import Foundation

/// One decoded video frame: its pixels (`FramePixels`: RGB, 4:2:0 planes, or only the samples a
/// consumer asked for) and where it stands in its source.
public struct VideoFrame: Sendable {
    /// The picture, in the representation the source produced.
    public var pixels: FramePixels
    /// Frame number in the source: counts every decoded frame from 0 (and every frame a source
    /// passed over, `VideoSourceOptions.analysisRate`), and keeps counting across reconnects of a
    /// live source (so numbers never repeat within one run).
    public var index: Int
    /// Presentation time in seconds from the stream's timestamps (best-effort timestamp, in the
    /// stream's time base converted to seconds); nil when the stream has none.
    public var pts: Double?
    /// Wall-clock time the frame was received, for live sources; nil for files.
    public var receivedAt: Date?

    /// A frame of `pixels`.
    public init(pixels: FramePixels, index: Int, pts: Double?, receivedAt: Date? = nil) {
        self.pixels = pixels
        self.index = index
        self.pts = pts
        self.receivedAt = receivedAt
    }

    /// A frame of RGB pixels.
    public init(image: RGBImage, index: Int, pts: Double?, receivedAt: Date? = nil) {
        self.init(pixels: .rgb(image), index: index, pts: pts, receivedAt: receivedAt)
    }

    /// Width and height in pixels of the whole picture (also for sampled frames).
    public var size: (width: Int, height: Int) { pixels.size }
}
