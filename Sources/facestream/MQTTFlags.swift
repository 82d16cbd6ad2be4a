import ArgumentParser
import DetectionSinks
import MQTTClient
import MQTTPublishing

/// `detect`'s MQTT flags: one connection for the whole run, shared by its inputs.
struct MQTTFlags: ParsableArguments {
    @Option(
        name: .customLong("mqtt"),
        help: ArgumentHelp(
            "Video: publish events, state and Home Assistant discovery to this MQTT broker: mqtt://[user@]host[:port] or mqtts://... (TLS). Implies --tracks.",
            valueName: "url"))
    var url: String?

    @Option(
        name: .customLong("mqtt-password-file"),
        help: ArgumentHelp("MQTT: file holding the password of the URL's user (never logged).", valueName: "file"))
    var passwordFile: String?

    @Option(
        name: .customLong("mqtt-ca"),
        help: ArgumentHelp(
            "MQTT: CA certificate (PEM) that signed the broker's certificate (mqtts://).", valueName: "file"))
    var certificateAuthority: String?

    @Option(name: .customLong("mqtt-prefix"), help: "MQTT: first part of every topic.")
    var prefix = "facestream"

    @Option(
        name: .customLong("mqtt-client-id"),
        help: ArgumentHelp(
            "MQTT: client id and node id (default facestream-<hostname>); unique per broker.", valueName: "id"))
    var clientID: String?

    @Flag(
        name: .customLong("mqtt-discovery"), inversion: .prefixedNo,
        help: "MQTT: publish Home Assistant discovery configs (retained).")
    var discovery = true

    @Option(name: .customLong("mqtt-discovery-prefix"), help: "MQTT: Home Assistant's discovery prefix.")
    var discoveryPrefix = "homeassistant"

    @Option(
        name: .customLong("mqtt-state-interval"),
        help: ArgumentHelp("MQTT: shortest time between two state messages of a stream.", valueName: "seconds"))
    var stateInterval: Double = 1

    @Option(
        name: .customLong("name"),
        help: ArgumentHelp(
            "Video: the input's stream name in MQTT topics (default: the file name without extension or the URL's host; reduced to A-Z a-z 0-9 _ -).",
            valueName: "name"))
    var name: String?

    /// The options, or nil without `--mqtt`; throws `ValidationError` for bad values.
    func options() throws -> MQTTOptions? {
        guard let url else {
            if passwordFile != nil || certificateAuthority != nil || clientID != nil {
                throw ValidationError("--mqtt-password-file, --mqtt-ca and --mqtt-client-id need --mqtt URL")
            }
            return nil
        }
        var options: MQTTOptions
        do {
            options = MQTTOptions(broker: try MQTTBrokerAddress.parse(url))
        } catch {
            throw ValidationError("--mqtt: \(error.description)")
        }
        if certificateAuthority != nil, !options.broker.usesTLS {
            throw ValidationError("--mqtt-ca is for TLS; write the broker URL as mqtts://host[:port]")
        }
        if passwordFile != nil, options.broker.user == nil {
            throw ValidationError("--mqtt-password-file needs a user in the URL: mqtt://USER@host[:port]")
        }
        if let problem = MQTTOptions.topicPrefixProblem(prefix) { throw ValidationError("--mqtt-prefix \(problem)") }
        if let problem = MQTTOptions.topicPrefixProblem(discoveryPrefix) {
            throw ValidationError("--mqtt-discovery-prefix \(problem)")
        }
        if let clientID, let problem = MQTTOptions.clientIDProblem(clientID) {
            throw ValidationError("--mqtt-client-id \(problem)")
        }
        guard stateInterval >= 0, stateInterval <= 3600 else {
            throw ValidationError("--mqtt-state-interval must be between 0 and 3600 seconds, got \(stateInterval)")
        }
        options.passwordFile = passwordFile
        options.certificateAuthorityFile = certificateAuthority
        options.prefix = prefix
        options.clientID = clientID
        options.discovery = discovery
        options.discoveryPrefix = discoveryPrefix
        options.stateInterval = .milliseconds(Int64((stateInterval * 1000).rounded()))
        return options
    }
}
