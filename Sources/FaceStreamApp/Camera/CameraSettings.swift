import V4L2Capture

/// The checked camera options of one daemon stream (`camera_*` keys), comparable so a reload can
/// tell whether a stream changed. Ignored for files and URLs.
public struct CameraSettings: Sendable, Equatable {
    /// Size, rate and pixel format wanted.
    public var format = CameraFormatRequest()
    /// mmap buffers to ask for.
    public var bufferCount = V4L2CameraOptions().bufferCount
    /// No frame for this long: the camera counts as lost and is reopened.
    public var frameTimeout = V4L2CameraOptions().frameTimeout

    /// The defaults (640x480 or the nearest, fastest rate, automatic format, 4 buffers, 5 s).
    public init() {}

    /// The options as `V4L2Camera` takes them (default back-off for reopening).
    public var options: V4L2CameraOptions {
        V4L2CameraOptions(format: format, bufferCount: bufferCount, frameTimeout: frameTimeout)
    }
}
