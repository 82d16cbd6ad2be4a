import Foundation

/// The broker password, read from a file so that it never appears in a URL, a command line or a
/// log line. The file holds the password alone; one trailing newline (LF or CRLF) is dropped.
public enum MQTTPassword {
    /// Largest password file read: 4 KiB (MQTT allows 64 KiB, no real password comes close).
    public static let maximumBytes = 4096

    /// Reads the password in `path`. The error names the file, never its content.
    public static func read(path: String) throws(MQTTClientError) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes else {
            throw MQTTClientError(.badFile, "MQTT password file \(path) does not exist or cannot be read")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw MQTTClientError(.badFile, "MQTT password file \(path) is not a regular file")
        }
        if let size = attributes[.size] as? Int, size > maximumBytes {
            throw MQTTClientError(
                .badFile,
                "MQTT password file \(path) has \(size) bytes, more than \(maximumBytes); it holds the password alone")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= maximumBytes else {
            throw MQTTClientError(.badFile, "MQTT password file \(path) cannot be read")
        }
        var bytes = [UInt8](data)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else { throw MQTTClientError(.badFile, "MQTT password file \(path) is empty") }
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
