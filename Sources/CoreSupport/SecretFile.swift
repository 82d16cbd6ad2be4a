import Foundation

/// A secret kept in a file of its own (a broker password, a webhook signing key), so that it never
/// appears on a command line, in a URL or in a log line. The one place that reads such files: a
/// regular file of at most `maximumBytes`, one trailing newline (LF or CRLF) not part of the
/// secret, never empty. Errors name the file and what to do, never the content.
public enum SecretFile {
    /// Largest secret file read: 4 KiB (a password or key is one line of text).
    public static let maximumBytes = 4096

    /// Why a secret file was refused; `description` is one line naming `what` and the path.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The bytes of the secret in `path`; `what` names the file in errors ("webhook secret file").
    /// The read is bounded even when the file grows after the size check.
    public static func read(path: String, what: String) throws(Failure) -> [UInt8] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let handle = FileHandle(forReadingAtPath: path)
        else {
            throw Failure(description: "\(what) \(path) cannot be read; check the path and its permissions")
        }
        defer { try? handle.close() }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw Failure(description: "\(what) \(path) is not a regular file")
        }
        var bytes = [UInt8]((try? handle.read(upToCount: maximumBytes + 1)) ?? Data())
        guard bytes.count <= maximumBytes else {
            throw Failure(description: "\(what) \(path) has more than \(maximumBytes) bytes; it holds the secret alone")
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else { throw Failure(description: "\(what) \(path) is empty; write the secret into it") }
        return bytes
    }
}
