import CoreSupport
import Foundation

/// The broker password, read from a file so that it never appears in a URL, a command line or a
/// log line. The file holds the password alone; one trailing newline (LF or CRLF) is dropped.
public enum MQTTPassword {
    /// Largest password file read (`SecretFile.maximumBytes`; MQTT allows 64 KiB, no real password
    /// comes close).
    public static let maximumBytes = SecretFile.maximumBytes

    /// Reads the password in `path` (`SecretFile`), which must be UTF-8 text without NUL bytes.
    /// The error names the file, never its content.
    public static func read(path: String) throws(MQTTClientError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try SecretFile.read(path: path, what: "MQTT password file")
        } catch {
            throw MQTTClientError(.badFile, error.description)
        }
        guard !bytes.contains(0), let password = String(validating: bytes, as: UTF8.self) else {
            throw MQTTClientError(.badFile, "MQTT password file \(path) is not UTF-8 text")
        }
        return password
    }

    /// Checks a CA certificate file given for TLS (`--mqtt-ca`): a readable regular file of at
    /// most 1 MiB.
    public static func checkCertificateFile(path: String) throws(MQTTClientError) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes, FileManager.default.isReadableFile(atPath: path) else {
            throw MQTTClientError(.badFile, "MQTT CA file \(path) does not exist or cannot be read")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw MQTTClientError(.badFile, "MQTT CA file \(path) is not a regular file")
        }
        if let size = attributes[.size] as? Int, size > 1 << 20 {
            throw MQTTClientError(.badFile, "MQTT CA file \(path) has more than 1 MiB; give one PEM certificate file")
        }
    }
}
