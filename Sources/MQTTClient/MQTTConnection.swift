import CoreSupport
import Foundation
import Logging
import Synchronization

/// One connection to an MQTT broker, kept up on its own thread: messages are queued by any
/// thread and published from there, so a slow or absent broker never blocks the caller (the
/// frame path). libmosquitto runs on that thread only (`MosquittoLink`); callers touch the queue
/// under a lock and return at once.
///
/// Two kinds of messages:
/// - events (`publish`): QoS 1, not retained, kept in order in a queue of
///   `settings.queueCapacity`; when it is full the oldest is dropped and counted. Queued events
///   wait while the broker is away and go out after the reconnect.
/// - retained topics (`setRetained`, `publishFile`): only the latest payload per topic is kept,
///   published at most every `minimumInterval` (the last change always goes out), and published
///   again after every reconnect (a broker restarted without persistence gets them back).
///
/// Reconnects with exponential back-off; credentials refused or a failed TLS handshake stop the
/// connection for good (`statistics.failure`), with one error line in the log.
public final class MQTTConnection: Sendable {
    let settings: MQTTConnectionSettings
    let logger: Logger
    let shared = Mutex(Shared())
    private let ended = DispatchSemaphore(value: 0)

    /// Largest payload accepted for one message (a snapshot JPEG included): 4 MiB.
    public static let maximumPayloadBytes = 4 << 20

    /// What the callers and the connection's thread share.
    struct Shared {
        var events: [MQTTMessage] = []
        var retained: [String: RetainedTopic] = [:]
        /// Topics in the order they were first set (discovery before state, as given).
        var retainedOrder: [String] = []
        var files: [String: PendingFile] = [:]
        var statistics = MQTTStatistics()
        var stopRequested = false
        var flushDeadline: ContinuousClock.Instant?
        var started = false
    }

    /// The latest payload of a retained topic.
    struct RetainedTopic {
        var message: MQTTMessage
        var minimumInterval: Duration
        var lastSent: ContinuousClock.Instant?
        var dirty: Bool
    }

    /// A file to publish retained once it exists (a snapshot renamed into place shortly after
    /// its event).
    struct PendingFile {
        var path: String
        var deadline: ContinuousClock.Instant
    }

    /// A connection with `settings`; nothing happens before `start()`.
    public init(settings: MQTTConnectionSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Starts the connection's thread (once); the first connect attempt is made at once.
    public func start() {
        guard
            shared.withLock({ state in
                defer { state.started = true }
                return !state.started
            })
        else { return }
        let thread = Thread { [self] in
            MosquittoLink.run(self)
            ended.signal()
        }
        thread.name = "facestream.mqtt"
        thread.start()
    }

    /// Queues an event message (QoS 1); drops the oldest queued event when the queue is full.
    /// Never blocks beyond a short lock.
    public func publish(_ message: MQTTMessage) {
        guard message.payload.count <= Self.maximumPayloadBytes else { return }
        let dropped: Bool = shared.withLock { state in
            guard state.statistics.failure == nil, !state.stopRequested else {
                state.statistics.dropped += 1
                return false
            }
            var dropped = false
            if state.events.count >= settings.queueCapacity {
                state.events.removeFirst()
                state.statistics.dropped += 1
                dropped = true
            }
            state.events.append(message)
            state.statistics.queued = state.events.count
            return dropped
        }
        if dropped {
            logger.debug("MQTT queue full (\(settings.queueCapacity) events): dropped the oldest")
        }
    }

    /// Makes `message` (retained) the latest value of its topic; published when connected, at
    /// most every `minimumInterval`, and again after every reconnect.
    public func setRetained(_ message: MQTTMessage, minimumInterval: Duration = .zero) {
        guard message.payload.count <= Self.maximumPayloadBytes else { return }
        var message = message
        message.retain = true
        shared.withLock { state in
            if var topic = state.retained[message.topic] {
                guard topic.message != message || topic.minimumInterval != minimumInterval else { return }
                topic.message = message
                topic.minimumInterval = minimumInterval
                topic.dirty = true
                state.retained[message.topic] = topic
            } else {
                state.retained[message.topic] = RetainedTopic(
                    message: message, minimumInterval: minimumInterval, lastSent: nil, dirty: true)
                state.retainedOrder.append(message.topic)
            }
        }
    }

    /// Publishes the bytes of the file at `path` retained on `topic` once the file exists (it
    /// may be renamed into place a little later), waiting at most `wait`; files larger than
    /// `maximumPayloadBytes` are skipped. A newer file for the same topic replaces a pending one.
    public func publishFile(topic: String, path: String, wait: Duration = .seconds(10)) {
        shared.withLock { $0.files[topic] = PendingFile(path: path, deadline: .now + wait) }
    }

    /// What the connection has done so far.
    public var statistics: MQTTStatistics { shared.withLock { $0.statistics } }

    /// Publishes what is queued (waiting up to `timeout` for the broker, also when it is away
    /// now), then the will's payload (retained, so the node shows as gone on purpose) and
    /// disconnects. Returns the final statistics; events still queued at the deadline are
    /// counted in `dropped` (and in `unsent` of the result).
    @discardableResult
    public func finish(timeout: Duration) -> (statistics: MQTTStatistics, unsent: Int) {
        let started = shared.withLock { state in
            state.stopRequested = true
            state.flushDeadline = .now + timeout
            return state.started
        }
        if started {
            // The thread ends by the deadline; a little more for the disconnect itself.
            _ = ended.wait(timeout: .now() + .nanoseconds(Int((timeout + .seconds(2)).wholeNanoseconds)))
        }
        return shared.withLock { state in
            let unsent = state.events.count + state.statistics.inFlight
            state.statistics.dropped += state.events.count
            state.events.removeAll()
            state.statistics.queued = 0
            return (state.statistics, unsent)
        }
    }
}
