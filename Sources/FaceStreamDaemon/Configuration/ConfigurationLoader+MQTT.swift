import MQTTClient
import MQTTPublishing
import TOMLKit

extension ConfigurationLoader {
    /// Keys allowed in the `[mqtt]` table.
    static let mqttKeys = [
        "url", "password_file", "ca", "prefix", "client_id", "discovery", "discovery_prefix", "state_interval",
    ]

    /// The process's MQTT connection: `mqtt = "mqtt://host"` (the URL alone) or an `[mqtt]` table
    /// with `url` and the other `--mqtt-*` settings. One connection for all streams: this process
    /// is one node on the broker (one client id, one status topic, one Home Assistant device).
    static func readMQTT(_ root: TOMLTable, _ reader: ConfigurationReader) -> MQTTOptions? {
        guard let value = root["mqtt"] else { return nil }
        let rootScope = ConfigurationReader.Scope(context: .root, headerLine: nil, prefix: "")
        if let url = value.string {
            return url.isEmpty ? nil : parseBroker(url, key: "mqtt", reader, rootScope).map { MQTTOptions(broker: $0) }
        }
        guard let table = value.table else {
            reader.problem(
                "mqtt must be a URL string or a table", key: "mqtt", in: rootScope,
                hint: "write mqtt = \"mqtt://host:1883\", or an [mqtt] table with url = ... and the other settings")
            return nil
        }
        let scope = ConfigurationReader.Scope(
            context: .other, headerLine: reader.locator.line(of: "mqtt", in: .root), prefix: "mqtt: ")
        reader.rejectUnknownKeys(of: table, known: mqttKeys, in: scope)
        guard let url = reader.string("url", in: table, scope: scope) else {
            if table["url"] == nil {
                reader.problem("url is missing", key: nil, in: scope, hint: "the broker: url = \"mqtt://host:1883\"")
            }
            return nil
        }
        guard let broker = parseBroker(url, key: "url", reader, scope) else { return nil }
        var options = MQTTOptions(broker: broker)
        options.passwordFile = reader.string("password_file", in: table, scope: scope).flatMap { $0.isEmpty ? nil : $0 }
        if options.passwordFile != nil, broker.user == nil {
            reader.problem(
                "password_file needs a user in the URL", key: "password_file", in: scope,
                hint: "write url = \"mqtt://USER@host:1883\"")
        }
        options.certificateAuthorityFile = reader.string("ca", in: table, scope: scope).flatMap {
            $0.isEmpty ? nil : $0
        }
        if options.certificateAuthorityFile != nil, !broker.usesTLS {
            reader.problem("ca is for TLS", key: "ca", in: scope, hint: "write the URL as mqtts://host:8883")
        }
        for (key, path) in [("prefix", \MQTTOptions.prefix), ("discovery_prefix", \MQTTOptions.discoveryPrefix)] {
            if let text = reader.string(key, in: table, scope: scope) {
                if let problem = MQTTOptions.topicPrefixProblem(text) {
                    reader.problem(
                        "\(key) \(problem)", key: key, in: scope, hint: "e.g. \(key) = \"\(options[keyPath: path])\"")
                } else {
                    options[keyPath: path] = text
                }
            }
        }
        if let clientID = reader.string("client_id", in: table, scope: scope), !clientID.isEmpty {
            if let problem = MQTTOptions.clientIDProblem(clientID) {
                reader.problem(
                    "client_id \(problem)", key: "client_id", in: scope,
                    hint: "one id per host; the default is facestream-<hostname>")
            } else {
                options.clientID = clientID
            }
        }
        options.discovery = reader.bool("discovery", in: table, scope: scope) ?? true
        if let seconds = reader.number(
            "state_interval", in: table, scope: scope, rule: "between 0 and 3600 seconds",
            hint: "shortest time between two state messages of a stream; 1 is the default",
            isValid: { (0...3600).contains($0) })
        {
            options.stateInterval = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        return options
    }

    private static func parseBroker(
        _ url: String, key: String, _ reader: ConfigurationReader, _ scope: ConfigurationReader.Scope
    ) -> MQTTBrokerAddress? {
        do {
            return try MQTTBrokerAddress.parse(url)
        } catch {
            // The message never repeats the URL: it may hold a password.
            reader.problem("\(key): \(error.description)", key: key, in: scope)
            return nil
        }
    }
}
