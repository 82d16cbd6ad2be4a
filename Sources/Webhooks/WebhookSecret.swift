import CoreSupport
import Foundation

/// The HMAC key of a webhook output, read from a file by `SecretFile` (at most 4 KiB, one trailing
/// newline removed, never empty). Its bytes are never logged or described.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
    /// The key bytes.
    let key: [UInt8]

    /// A secret of `key` (tests).
    public init(key: [UInt8]) {
        self.key = key
    }

    /// Never the key itself.
    public var description: String { "(secret, \(key.count) bytes)" }

    /// Reads the secret in `path` (`SecretFile`); the error names the file and says what to do.
    public static func read(path: String) throws(WebhookOutputError) -> WebhookSecret {
        do {
            return WebhookSecret(key: try SecretFile.read(path: path, what: "webhook secret file"))
        } catch {
            throw WebhookOutputError(error.description)
        }
    }
}

/// A webhook output that cannot start (no libcurl, an unreadable secret): one line for the user.
public struct WebhookOutputError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
