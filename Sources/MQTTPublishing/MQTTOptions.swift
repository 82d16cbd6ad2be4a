import MQTTClient

/// MQTT publishing as the user asked for it (`detect --mqtt*` flags, the daemon's `[mqtt]`
/// table): one broker connection per process, shared by all its streams.
public struct MQTTOptions: Sendable, Equatable {
    /// The broker (`mqtt://[user@]host[:port]` or `mqtts://...`).
    public var broker: MQTTBrokerAddress
    /// File holding the password (read at start, never logged).
    public var passwordFile: String?
    /// CA certificate (PEM) that signed the broker's certificate, for `mqtts://`.
    public var certificateAuthorityFile: String?
    /// First part of every topic: `facestream`.
    public var prefix = "facestream"
    /// MQTT client id and node id; nil: `facestream-<hostname>`.
    public var clientID: String?
    /// Publish Home Assistant discovery configs (retained).
    public var discovery = true
    /// Home Assistant's discovery prefix: `homeassistant`.
    public var discoveryPrefix = "homeassistant"
    /// Shortest time between two state messages of one stream: 1 s.
    public var stateInterval: Duration = .seconds(1)
    /// At the end of a run, how long queued messages may take to reach the broker: 5 s.
    public var flushTimeout: Duration = .seconds(5)

    /// Longest prefix, discovery prefix or client id: 128 bytes.
    public static let maximumNameLength = 128

    /// Options for `broker`, the rest default.
    public init(broker: MQTTBrokerAddress) {
        self.broker = broker
    }

    /// Why `prefix` cannot start a topic, or nil: 1 to 128 bytes, no `+`, `#`, NUL, no `/` at
    /// either end.
    public static func topicPrefixProblem(_ prefix: String) -> String? {
        if prefix.isEmpty || prefix.utf8.count > maximumNameLength {
            return "must have 1 to \(maximumNameLength) bytes"
        }
        if prefix.contains(where: { "+#\u{0}".contains($0) }) { return "must not hold +, # or NUL" }
        if prefix.hasPrefix("/") || prefix.hasSuffix("/") { return "must not start or end with /" }
        return nil
    }

    /// Why `clientID` cannot be a client id, or nil: 1 to 128 printable ASCII characters.
    public static func clientIDProblem(_ clientID: String) -> String? {
        if clientID.isEmpty || clientID.utf8.count > maximumNameLength {
            return "must have 1 to \(maximumNameLength) characters"
        }
        if !clientID.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) {
            return "must be printable ASCII without spaces"
        }
        return nil
    }
}
