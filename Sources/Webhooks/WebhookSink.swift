import DetectionSinks
import Logging
import VideoCore

/// POSTs every track event of one input to a webhook, as JSON (the event's JSON line), from a
/// thread of its own: `write` only queues (`WebhookLimits.queueCapacity`, oldest dropped), so a
/// slow or dead receiver never holds up the frames. Needs no pixels.
///
/// `open()` loads libcurl and reads the secret (an error there ends the run before the first
/// frame, like any output that cannot open); failed deliveries are counted and logged, never
/// thrown. `finish()` waits up to `WebhookLimits.finishWait` for queued events, then logs a
/// summary: sent, failed, dropped, and how many were left undelivered.
public final class WebhookSink: DetectionSink {
    private let request: WebhookRequest
    private let source: String
    private let userAgent: String
    private let counters: WebhookCounters
    private let policy: WebhookRetryPolicy
    private let capacity: Int
    private let finishWait: Duration
    private let logger: Logger
    private var dispatcher: WebhookDispatcher?
    /// The counts when this input started (the daemon's counters span restarts).
    private var startCounts = (sent: 0, failed: 0, dropped: 0)

    /// A sink for the events of `source` (named as in the JSON lines), counted in `counters`;
    /// `policy`, `capacity` and `finishWait` default to `WebhookLimits`' values.
    public init(
        request: WebhookRequest, source: String, userAgent: String, counters: WebhookCounters = WebhookCounters(),
        policy: WebhookRetryPolicy = WebhookRetryPolicy(), capacity: Int = WebhookLimits.queueCapacity,
        finishWait: Duration = WebhookLimits.finishWait, logger: Logger
    ) {
        self.request = request
        self.source = source
        self.userAgent = userAgent
        self.counters = counters
        self.policy = policy
        self.capacity = capacity
        self.finishWait = finishWait
        self.logger = logger
    }

    /// Events need no pixels.
    public var needsPixels: Bool { false }

    /// Loads libcurl, reads the secret and starts the delivery thread.
    public func open() throws(OutputFailure) {
        let secret: WebhookSecret?
        do {
            try CurlLibrary.load()
            secret = try request.secretFile.map { path throws(WebhookOutputError) in try WebhookSecret.read(path: path)
            }
        } catch {
            throw OutputFailure(error.description)
        }
        let stop = StopSignal()
        guard
            let poster = CurlPoster(
                url: request.endpoint.url, userAgent: userAgent, timeout: request.timeout, stop: stop)
        else {
            throw OutputFailure("webhook \(request.endpoint): libcurl could not make a handle (out of memory?)")
        }
        startCounts = (counters.sent, counters.failed, counters.dropped)
        let dispatcher = WebhookDispatcher(
            poster: poster, stop: stop, endpoint: request.endpoint, secret: secret, policy: policy,
            capacity: capacity, counters: counters, logger: logger)
        dispatcher.start()
        self.dispatcher = dispatcher
    }

    /// Queues the frame's events (at once; delivery happens on the sink's thread).
    public func write(_ frame: FrameDetections) throws(OutputFailure) {
        enqueue(frame.events)
    }

    /// Queues the `left` events of the tracks still open at the end.
    public func writeClosing(_ events: [TrackEvent]) throws(OutputFailure) {
        enqueue(events)
    }

    private func enqueue(_ events: [TrackEvent]) {
        guard let dispatcher else { return }
        for event in events {
            var line = event.jsonLine(source: source)
            if line.last == "\n" { line.removeLast() }
            dispatcher.enqueue(WebhookDelivery(body: Array(line.utf8), event: event.kind.rawValue))
        }
    }

    /// Waits (bounded) for the queued events, stops the thread and logs what became of them.
    public func finish() throws(OutputFailure) {
        guard let dispatcher else { return }
        self.dispatcher = nil
        let waiting = dispatcher.waiting
        if waiting > 0 {
            logger.info(
                "webhook \(request.endpoint): waiting up to \(finishWait.inSeconds) s for \(waiting) queued events")
        }
        let undelivered = dispatcher.finish(waitingAtMost: finishWait)
        let summary =
            "webhook \(request.endpoint): \(counters.sent - startCounts.sent) sent, \(counters.failed - startCounts.failed) failed, \(counters.dropped - startCounts.dropped) dropped"
        if undelivered > 0 {
            logger.warning("\(summary); \(undelivered) left undelivered when the run ended")
        } else {
            logger.info("\(summary)")
        }
    }
}
