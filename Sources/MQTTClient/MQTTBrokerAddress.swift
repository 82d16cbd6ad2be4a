/// Where the broker is: `mqtt://[user@]host[:port]` (plain TCP, port 1883) or
/// `mqtts://[user@]host[:port]` (TLS, port 8883).
///
/// A password inside the URL is refused: URLs end up in logs, shell history and `ps`; the
/// password comes from a file instead (`MQTTPassword`). `description` is what logs show.
public struct MQTTBrokerAddress: Sendable, Equatable, CustomStringConvertible {
    /// Host name or IPv4 address (an IPv6 address without its brackets).
    public var host: String
    /// TCP port, 1...65535.
    public var port: Int
    /// Whether the connection uses TLS (`mqtts://`).
    public var usesTLS: Bool
    /// User name from the URL, if any.
    public var user: String?

    /// An address of every part.
    public init(host: String, port: Int, usesTLS: Bool, user: String?) {
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
        self.user = user
    }

    /// Longest URL accepted.
    public static let maximumLength = 1024

    /// The URL as it may be logged (it never holds a password).
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return (usesTLS ? "mqtts://" : "mqtt://") + (user.map { Self.logSafe($0) + "@" } ?? "") + hostPart + ":\(port)"
    }

    /// Parses `text`; the error says what is wrong and what to write instead.
    public static func parse(_ text: String) throws(MQTTClientError) -> MQTTBrokerAddress {
        func reject(_ why: String) -> MQTTClientError {
            MQTTClientError(.badAddress, why + "; write mqtt://host[:port] or mqtts://host[:port]")
        }
        guard text.utf8.count <= maximumLength else {
            throw reject("the MQTT URL has more than \(maximumLength) bytes")
        }
        let usesTLS: Bool
        var rest: Substring
        if text.hasPrefix("mqtt://") {
            usesTLS = false
            rest = text.dropFirst(7)
        } else if text.hasPrefix("mqtts://") {
            usesTLS = true
            rest = text.dropFirst(8)
        } else {
            throw reject("the MQTT URL must start with mqtt:// or mqtts://")
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#") else {
            throw reject("the MQTT URL takes no path, query or fragment (topics come from --mqtt-prefix)")
        }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if userInfo.contains(":") {
                throw MQTTClientError(
                    .badAddress,
                    "the MQTT URL holds a password, which would show in logs and process lists; "
                        + "remove it from the URL and put it in a file given with --mqtt-password-file "
                        + "(password_file in the configuration's [mqtt] table)")
            }
            guard !userInfo.isEmpty else { throw reject("the MQTT URL has an empty user name before @") }
            user = String(userInfo).removingPercentEncodingIfValid
            rest = rest[rest.index(after: at)...]
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw reject("the MQTT URL has an unclosed [") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw reject("junk after ]")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:".contains($0)) })
        else {
            throw reject("the MQTT URL has no valid host name")
        }
        var port = usesTLS ? 8883 : 1883
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw reject("the MQTT port must be a number from 1 to 65535")
            }
            port = number
        }
        return MQTTBrokerAddress(host: String(host), port: port, usesTLS: usesTLS, user: user)
    }

    /// A user name for logs: printable ASCII only.
    private static func logSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
    }
}

extension String {
    /// Percent-decoded when the escapes are valid, else unchanged.
    fileprivate var removingPercentEncodingIfValid: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else if byte == UInt8(ascii: "%") {
                return self
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
