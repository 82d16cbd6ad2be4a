import Foundation

/// One decoded video frame at the source's resolution.
///
/// The pixels are RGB, or (from the FFmpeg source, for 4:2:0 video) the decoded planes with an
/// exact RGB conversion that runs on the first read of `image`, so consumers that need only part
/// of the picture (the face detector's resize) can convert just that part from `yuv420`; or only
/// the pixels of a sample grid (`sampled`, from a source given a `PixelSampling`), whose `image`
/// must not be read.
public struct VideoFrame: Sendable {
    private var pixels: FramePixels
    /// The pixels as RGB, full source resolution (converted once on first read for 4:2:0 frames).
    /// Traps on frames that carry only sampled pixels.
    public var image: RGBImage {
        get { pixels.image }
        set { pixels = FramePixels(rgb: newValue) }
    }
    /// The decoded 4:2:0 planes, when the frame carries them; `image` is their conversion.
    public var yuv420: YUV420Picture? { pixels.yuv420 }
    /// The RGB pixels of a sample grid, when the frame carries only those (no `image`, no `yuv420`).
    public var sampled: SampledPicture? { pixels.sampled }
    /// Frame number in the source: counts every decoded frame from 0, and keeps counting across
    /// reconnects of a live source (so numbers never repeat within one run).
    public var index: Int
    /// Presentation time in seconds from the stream's timestamps (best-effort timestamp, in the
    /// stream's time base converted to seconds); nil when the stream has none.
    public var pts: Double?
    /// Wall-clock time the frame was received, for live sources; nil for files.
    public var receivedAt: Date?

    /// A frame of RGB pixels.
    public init(image: RGBImage, index: Int, pts: Double?, receivedAt: Date? = nil) {
        self.pixels = FramePixels(rgb: image)
        self.index = index
        self.pts = pts
        self.receivedAt = receivedAt
    }

    /// A frame of 4:2:0 planes, converted to RGB when `image` is first read.
    public init(yuv420: YUV420Picture, index: Int, pts: Double?, receivedAt: Date? = nil) {
        self.pixels = FramePixels(yuv420: yuv420)
        self.index = index
        self.pts = pts
        self.receivedAt = receivedAt
    }

    /// A frame of sampled pixels only (`image` traps), for consumers that read just the grid.
    public init(sampled: SampledPicture, index: Int, pts: Double?, receivedAt: Date? = nil) {
        self.pixels = FramePixels(sampled: sampled)
        self.index = index
        self.pts = pts
        self.receivedAt = receivedAt
    }

    /// Width and height in pixels (of the whole picture, also for sampled frames).
    public var size: (width: Int, height: Int) {
        if let yuv420 { return (yuv420.width, yuv420.height) }
        if let sampled { return (sampled.grid.width, sampled.grid.height) }
        return (image.width, image.height)
    }
}
