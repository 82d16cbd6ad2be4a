/// How a recording is cut into segment files and how many of them are kept: the daemon's
/// `segment_seconds`, `keep_gb` and `keep_days`. A recording with segments is written as files
/// named by their start time beside the configured path (`SegmentNaming`), each finished when the
/// stream time passes its length, and the oldest are deleted after each one closes
/// (`SegmentRetention`).
public struct RecordingSegments: Sendable, Equatable {
    /// Stream time each segment covers (a segment is cut at the first frame at or past it).
    public var length: Duration
    /// Most bytes this recording's finished segments may take together; nil: no size cap. The
    /// segment being written comes on top.
    public var keepBytes: Int64?
    /// Segments that started longer ago than this are deleted; nil: no age cap.
    public var keepAge: Duration?

    /// Segments of `length`, capped by `keepBytes` and `keepAge` (nil: no cap).
    public init(length: Duration, keepBytes: Int64? = nil, keepAge: Duration? = nil) {
        self.length = length
        self.keepBytes = keepBytes
        self.keepAge = keepAge
    }

    /// The daemon's default segment length in seconds.
    public static let defaultSeconds = 300.0
    /// Segment lengths accepted, in seconds (0 in the configuration means one file per run).
    public static let secondsRange = 1.0...86_400.0
    /// The daemon's default size cap per stream, in gigabytes (10^9 bytes).
    public static let defaultKeepGigabytes = 10.0
    /// Size caps accepted, in gigabytes (0: no cap).
    public static let keepGigabytesRange = 0.0...1_000_000.0
    /// The daemon's default age cap, in days.
    public static let defaultKeepDays = 7.0
    /// Age caps accepted, in days (0: no cap).
    public static let keepDaysRange = 0.0...36_500.0

    /// The settings for `seconds`, `gigabytes` (0: no size cap) and `days` (0: no age cap) as the
    /// configuration gives them.
    public init(seconds: Double, keepGigabytes gigabytes: Double, keepDays days: Double) {
        self.init(
            length: .milliseconds(Int64((seconds * 1000).rounded())),
            keepBytes: gigabytes > 0 ? Int64((gigabytes * 1e9).rounded()) : nil,
            keepAge: days > 0 ? .seconds(Int64((days * 86_400).rounded())) : nil)
    }
}
