import Foundation

/// The HMAC key of a webhook output, read from a file: at most `WebhookLimits.maximumSecretBytes`,
/// one trailing newline (LF or CRLF) removed, never empty. Its bytes are never logged or described.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
    /// The key bytes.
    let key: [UInt8]

    /// A secret of `key` (tests).
    public init(key: [UInt8]) {
        self.key = key
    }

    /// Never the key itself.
    public var description: String { "(secret, \(key.count) bytes)" }

    /// Reads the secret in `path`; the error names the file and says what to do.
    public static func read(path: String) throws(WebhookOutputError) -> WebhookSecret {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw WebhookOutputError("webhook secret file \(path) cannot be read; check the path and its permissions")
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw WebhookOutputError("webhook secret file \(path) is not a regular file")
        }
        if let size = attributes[.size] as? Int, size > WebhookLimits.maximumSecretBytes {
            throw WebhookOutputError(
                "webhook secret file \(path) has \(size) bytes, more than \(WebhookLimits.maximumSecretBytes); a secret is a line of text"
            )
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WebhookOutputError("webhook secret file \(path) cannot be read; check its permissions")
        }
        defer { try? handle.close() }
        // Bounded even when the file grew after the size check.
        var bytes = [UInt8]((try? handle.read(upToCount: WebhookLimits.maximumSecretBytes + 1)) ?? Data())
        guard bytes.count <= WebhookLimits.maximumSecretBytes else {
            throw WebhookOutputError(
                "webhook secret file \(path) has more than \(WebhookLimits.maximumSecretBytes) bytes; a secret is a line of text"
            )
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else {
            throw WebhookOutputError("webhook secret file \(path) is empty; write the shared secret into it")
        }
        return WebhookSecret(key: bytes)
    }
}

/// A webhook output that cannot start (no libcurl, an unreadable secret): one line for the user.
public struct WebhookOutputError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
