import FaceStreamApp

/// Where one stream of the daemon is.
public enum StreamState: String, Sendable, Equatable {
    /// Opening its source; no frame yet.
    case starting
    /// Frames flow.
    case running
    /// Knowingly waiting: the live source dropped and is being reopened, or it failed to open
    /// and the stream retries with back-off.
    case waiting
    /// The source ended (a file read to its end).
    case finished
    /// The source failed for good (a missing or unreadable file); see the log.
    case failed
    /// Stopped by the daemon (shutdown, or removed by a reload).
    case stopped
}

/// Counters and state of one stream at one instant.
public struct StreamSnapshot: Sendable, Equatable {
    /// The stream's configured name.
    public var name: String
    public var state: StreamState
    /// Frames read from the source since the daemon started the stream (all attempts).
    public var framesIn = 0
    /// Frames analysed.
    public var framesAnalyzed = 0
    /// Frames dropped because analysis fell behind a live source.
    public var framesDropped = 0
    /// Faces found.
    public var faces = 0
    /// Times the source was reopened (by the source itself or by a restart of the stream).
    public var reconnects = 0
    /// Frames inside the pipeline now (read, not yet dropped or written).
    public var queueDepth = 0
    /// Whether the stream tracks faces (its status line then counts tracks).
    public var tracking = false
    /// Track events so far: faces that appeared and that left.
    public var appeared = 0
    public var left = 0
    /// Webhook deliveries since the stream started (all runs); nil when it has no webhook.
    public var webhook: WebhookTotals?
    /// Confirmed tracks open now.
    public var activeTracks: Int { max(0, appeared - left) }
    /// Track snapshots (`snapshots`): files written, snapshots dropped (queue full) and lost to
    /// write errors.
    public var snapshotsWritten = 0
    public var snapshotsDropped = 0
    public var snapshotsFailed = 0

    /// A zeroed snapshot.
    public init(name: String, state: StreamState) {
        self.name = name
        self.state = state
    }
}

/// What became of a stream's webhook events: accepted by the receiver, given up on, dropped
/// (queue full, or still queued when a run ended).
public struct WebhookTotals: Sendable, Equatable {
    public var sent: Int
    public var failed: Int
    public var dropped: Int

    /// Totals of `sent`, `failed` and `dropped` events.
    public init(sent: Int = 0, failed: Int = 0, dropped: Int = 0) {
        self.sent = sent
        self.failed = failed
        self.dropped = dropped
    }
}
