import Foundation

/// One decoded video frame, converted to RGB at the source's resolution.
public struct VideoFrame: Sendable {
    /// The pixels, full source resolution.
    public var image: RGBImage
    /// Frame number in the source: counts every decoded frame from 0, and keeps counting across
    /// reconnects of a live source (so numbers never repeat within one run).
    public var index: Int
    /// Presentation time in seconds from the stream's timestamps (best-effort timestamp, in the
    /// stream's time base converted to seconds); nil when the stream has none.
    public var pts: Double?
    /// Wall-clock time the frame was received, for live sources; nil for files.
    public var receivedAt: Date?

    public init(image: RGBImage, index: Int, pts: Double?, receivedAt: Date? = nil) {
        self.image = image
        self.index = index
        self.pts = pts
        self.receivedAt = receivedAt
    }
}
