import DetectionSinks
import Foundation
import Logging
import VideoCore
import Webhooks

/// Track events and sinks for the webhook tests.
enum WebhookFixtures {
    /// An `appeared` event of track `track` at frame `frame`.
    static func event(track: Int, frame: Int, kind: TrackEvent.Kind = .appeared) -> TrackEvent {
        let sighting = TrackEvent.Sighting(
            frame: frame, pts: Double(frame) / 10, receivedAt: nil, box: BoundingBox(x1: 10, y1: 20, x2: 50, y2: 80),
            score: 0.98)
        return TrackEvent(kind: kind, track: track, first: sighting, latest: sighting, best: sighting, frames: 3)
    }

    /// A frame (no pixels needed by the sink) carrying `events`.
    static func frame(_ index: Int, events: [TrackEvent]) -> FrameDetections {
        var frame = FrameDetections(
            frame: VideoFrame(
                image: RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 12)), index: index, pts: nil),
            sequence: index, faces: [])
        frame.events = events
        return frame
    }

    /// The request body the sink sends for `event`: its JSON line without the newline.
    static func body(_ event: TrackEvent) -> String {
        String(event.jsonLine(source: "door.mp4").dropLast())
    }

    static let logger = Logger(label: "webhook-tests")

    /// A sink for `url` with fast retries (tests must not wait seconds for back-off).
    static func sink(
        url: String, secretFile: String? = nil, timeout: Duration = .seconds(5), attempts: Int = 3,
        capacity: Int = WebhookLimits.queueCapacity, finishWait: Duration = .seconds(30),
        counters: WebhookCounters = WebhookCounters()
    ) throws -> WebhookSink {
        WebhookSink(
            request: WebhookRequest(endpoint: try WebhookEndpoint(url), secretFile: secretFile, timeout: timeout),
            source: "door.mp4", userAgent: "facestream/test", counters: counters,
            policy: WebhookRetryPolicy(
                maximumAttempts: attempts, firstDelay: .milliseconds(10), maximumDelay: .milliseconds(40)),
            capacity: capacity, finishWait: finishWait, logger: logger)
    }
}
