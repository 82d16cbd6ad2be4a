/// The format a camera streams in, after the driver adjusted the request (VIDIOC_S_FMT / S_PARM).
public struct NegotiatedFormat: Sendable, Equatable, CustomStringConvertible {
    public var pixelFormat: V4L2PixelFormat
    public var width: Int
    public var height: Int
    /// Stride of uncompressed formats in bytes.
    public var bytesPerRow: Int
    /// Largest frame in bytes the driver announces.
    public var maximumFrameBytes: Int
    /// Frames per second the driver confirmed; nil when it does not say.
    public var framesPerSecond: Double?
    /// mmap buffers the driver granted.
    public var bufferCount: Int

    public var description: String {
        let rate = framesPerSecond.map { " at \($0) fps" } ?? ""
        return "\(width)x\(height) \(pixelFormat.name)\(rate), \(bufferCount) buffers"
    }
}
