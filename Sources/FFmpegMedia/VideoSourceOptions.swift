import VideoCore

/// Settings of an `FFmpegVideoSource`.
public struct VideoSourceOptions: Sendable {
    /// Longest wait to open a URL or pipe and find its streams (connect, handshake, probing). Default 10 s.
    public var openTimeout: Duration
    /// Longest wait for the next video frame of a URL or pipe once open. A URL that stays silent
    /// this long counts as lost (and is reopened); a pipe ends with an error. Default 10 s.
    public var readTimeout: Duration
    /// Back-off for reopening a live URL that dropped.
    public var reconnect: ReconnectPolicy
    /// Decoder threads; 0 lets FFmpeg choose from the machine's cores. Live URLs decode with
    /// slice threads only, so threading adds no frames of latency.
    public var decoderThreads: Int
    /// Waits between reconnect attempts; replace it in tests to skip real waiting.
    public var sleeper: any BackoffSleeper
    /// When set, the consumer needs only the frames these slots analyse (the first of each slot,
    /// by presentation time: the frames `FrameSelection.maximumRate` picks when none is dropped
    /// on the way). The others are passed over: not converted, not handed on, and the
    /// non-reference ones (B-frames nothing refers to) not even decoded. Handed-on frames keep the
    /// index and pts they would have had; the passed-over ones are counted in
    /// `SourceStatistics.framesPassedOver`. nil (the default) hands on every frame. Only for
    /// consumers that look at no other frame (no annotated copy, no snapshots).
    public var analysisRate: RateSlots?

    /// Options with the documented defaults.
    public init(
        openTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(10),
        reconnect: ReconnectPolicy = ReconnectPolicy(), decoderThreads: Int = 0,
        sleeper: any BackoffSleeper = SystemBackoffSleeper(), analysisRate: RateSlots? = nil
    ) {
        self.analysisRate = analysisRate
        self.openTimeout = openTimeout
        self.readTimeout = readTimeout
        self.reconnect = reconnect
        self.decoderThreads = decoderThreads
        self.sleeper = sleeper
    }
}
