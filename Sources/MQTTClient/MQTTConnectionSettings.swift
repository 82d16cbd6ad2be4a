/// How an `MQTTConnection` reaches its broker and how much it may hold.
public struct MQTTConnectionSettings: Sendable {
    /// The broker.
    public var address: MQTTBrokerAddress
    /// The password (from `MQTTPassword.read`), sent with `address.user`; never logged.
    public var password: String?
    /// PEM file of the CA that signed the broker's certificate (`mqtts://`); nil: the system's CAs.
    public var certificateAuthorityFile: String?
    /// MQTT client id; two clients with one id on one broker throw each other off.
    public var clientID: String
    /// Published retained as the last will (the broker sends it when the connection drops
    /// without a DISCONNECT), and also published by `finish` before a clean disconnect.
    public var will: MQTTMessage?
    /// Keep-alive interval asked of the broker.
    public var keepAlive: Duration = .seconds(30)
    /// Event messages (not retained) held while the broker is away or slow; when full, the
    /// oldest is dropped and counted. Default 1000.
    public var queueCapacity = 1000
    /// QoS 1 messages handed to libmosquitto and not yet acknowledged by the broker. Default 32.
    public var inFlightLimit = 32
    /// Wait before the first reconnect attempt, doubled per failure up to `maximumReconnectDelay`.
    public var initialReconnectDelay: Duration = .milliseconds(500)
    /// Longest wait between reconnect attempts. Default 30 s.
    public var maximumReconnectDelay: Duration = .seconds(30)
    /// How long a TCP connect plus CONNACK may take before the attempt counts as failed.
    public var connectTimeout: Duration = .seconds(10)

    /// Settings for `address` with `clientID`; the rest default.
    public init(address: MQTTBrokerAddress, clientID: String, password: String? = nil) {
        self.address = address
        self.clientID = clientID
        self.password = password
    }
}

/// One message to publish.
public struct MQTTMessage: Sendable, Equatable {
    /// The topic (no wildcards).
    public var topic: String
    /// The payload bytes.
    public var payload: [UInt8]
    /// Whether the broker keeps it for later subscribers.
    public var retain: Bool

    /// A message of `payload` on `topic`; every message is published with QoS 1.
    public init(topic: String, payload: [UInt8], retain: Bool) {
        self.topic = topic
        self.payload = payload
        self.retain = retain
    }

    /// A message of UTF-8 `text`.
    public init(topic: String, text: String, retain: Bool) {
        self.init(topic: topic, payload: Array(text.utf8), retain: retain)
    }
}

/// What an `MQTTConnection` has done so far.
public struct MQTTStatistics: Sendable, Equatable {
    /// Whether the broker accepted the connection and it is up now.
    public var connected = false
    /// Messages the broker acknowledged.
    public var sent = 0
    /// Event messages dropped because the queue was full (or left unsent at the end).
    public var dropped = 0
    /// Event messages waiting now (not yet handed to the library).
    public var queued = 0
    /// Messages handed to the library and not yet acknowledged.
    public var inFlight = 0
    /// Connections made (the first and every reconnect).
    public var connections = 0
    /// The fatal problem (credentials refused, TLS failed) that stopped the connection, if any.
    public var failure: MQTTClientError?
}
