/// An MQTT setting or connection problem, as one line for the user.
public struct MQTTClientError: Error, CustomStringConvertible, Equatable {
    /// What kind of problem, to switch on.
    public enum Code: Sendable, Equatable {
        /// The broker URL cannot be used.
        case badAddress
        /// The password or CA file cannot be used.
        case badFile
        /// The broker refused the credentials or the client id.
        case refused
        /// TLS failed (handshake, certificate).
        case tls
    }

    /// The kind of problem.
    public let code: Code
    /// What is wrong and what to do.
    public let description: String

    /// A problem of kind `code` described by `description`.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
