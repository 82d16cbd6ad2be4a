import VideoCore

/// Settings of a `V4L2Camera`.
public struct V4L2CameraOptions: Sendable {
    /// Size, rate and pixel format wanted.
    public var format: CameraFormatRequest
    /// mmap buffers to ask for (the driver may grant fewer or more); default 4.
    public var bufferCount: Int
    /// A camera that delivers no frame for this long counts as lost and is reopened; default 5 s.
    public var frameTimeout: Duration
    /// Back-off for reopening a lost camera and for waiting for a missing one; default 0.25 s,
    /// doubling, at most 5 s, forever.
    public var reconnect: ReconnectPolicy
    /// Waits between attempts; replace it in tests to skip real waiting.
    public var sleeper: any BackoffSleeper

    /// Options with the documented defaults.
    public init(
        format: CameraFormatRequest = CameraFormatRequest(), bufferCount: Int = 4, frameTimeout: Duration = .seconds(5),
        reconnect: ReconnectPolicy = ReconnectPolicy(initialDelay: .milliseconds(250), maximumDelay: .seconds(5)),
        sleeper: any BackoffSleeper = SystemBackoffSleeper()
    ) {
        self.format = format
        self.bufferCount = bufferCount
        self.frameTimeout = frameTimeout
        self.reconnect = reconnect
        self.sleeper = sleeper
    }
}
