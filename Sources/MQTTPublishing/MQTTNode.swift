import DetectionSinks
import Foundation
import Logging
import MQTTClient

/// This process on the broker: one connection (one client id, one `P/N/status` topic) shared by
/// every stream of the run; `sink(...)` makes each stream's `MQTTSink`. Made once per `detect`
/// run or daemon, finished once at its end.
public final class MQTTNode: Sendable {
    /// The options it was made from.
    public let options: MQTTOptions
    /// The client id (also the node id in topics, reduced to `[A-Za-z0-9_-]`).
    public let clientID: String
    let topics: MQTTTopics
    let connection: MQTTConnection
    private let logger: Logger

    /// Reads the password file and prepares the connection (nothing is sent before `start`).
    /// Throws when the password or CA file cannot be used.
    public init(options: MQTTOptions, logger: Logger) throws(MQTTClientError) {
        self.options = options
        self.logger = logger
        clientID = options.clientID ?? Self.defaultClientID()
        topics = MQTTTopics(
            prefix: options.prefix, node: StreamName.reduced(clientID), discoveryPrefix: options.discoveryPrefix)
        var settings = MQTTConnectionSettings(address: options.broker, clientID: clientID)
        if let file = options.passwordFile { settings.password = try MQTTPassword.read(path: file) }
        if let ca = options.certificateAuthorityFile {
            try MQTTPassword.checkCertificateFile(path: ca)
            settings.certificateAuthorityFile = ca
        }
        settings.will = MQTTMessage(topic: topics.status, text: "offline", retain: true)
        connection = MQTTConnection(settings: settings, logger: logger)
    }

    /// `facestream-<hostname>`, the hostname reduced to `[A-Za-z0-9_-]`.
    public static func defaultClientID() -> String {
        "facestream-"
            + StreamName.reduced(
                ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host")
    }

    /// Connects (in the background) and marks the node `online` (retained) once connected.
    public func start() {
        connection.setRetained(MQTTMessage(topic: topics.status, text: "online", retain: true))
        logger.info("MQTT: publishing to \(options.broker) under \(options.prefix)/ as \(clientID)")
        connection.start()
    }

    /// The sink of one stream: `stream` names its topics (reduced to `[A-Za-z0-9_-]`), `source`
    /// is written in its event payloads (as in the JSON lines). With `camera`, the Home Assistant
    /// camera of its snapshots is announced at once (else at its first snapshot).
    public func sink(stream: String, source: String, camera: Bool) -> MQTTSink {
        MQTTSink(node: self, stream: StreamName.reduced(stream), source: source, announcesCamera: camera)
    }

    /// Publishes the Home Assistant discovery configs of `stream` (when discovery is on).
    func announce(stream: String, camera: Bool) {
        guard options.discovery else { return }
        for config in HomeAssistantDiscovery(topics: topics).configs(stream: stream, camera: camera) {
            connection.setRetained(MQTTMessage(topic: config.topic, text: config.payload, retain: true))
        }
    }

    /// Publishes the camera config of `stream` (its first snapshot arrived).
    func announceCamera(stream: String) {
        guard options.discovery else { return }
        let config = HomeAssistantDiscovery(topics: topics).cameraConfig(stream: stream)
        connection.setRetained(MQTTMessage(topic: config.topic, text: config.payload, retain: true))
    }

    /// What the connection has done so far (for the daemon's metrics).
    public var statistics: MQTTStatistics { connection.statistics }

    /// Flushes for at most `options.flushTimeout`, publishes `offline` and disconnects. Logs how
    /// many events were left unsent; returns the fatal problem, if the connection had one.
    @discardableResult
    public func finish() -> MQTTClientError? {
        let (statistics, unsent) = connection.finish(timeout: options.flushTimeout)
        if unsent > 0 && statistics.failure == nil {
            logger.warning(
                "MQTT: \(unsent) messages not delivered to \(options.broker) within \(options.flushTimeout) at exit")
        }
        if statistics.dropped > 0 {
            logger.notice("MQTT: \(statistics.dropped) events dropped in all (queue full, broker away or refused)")
        }
        return statistics.failure
    }
}
