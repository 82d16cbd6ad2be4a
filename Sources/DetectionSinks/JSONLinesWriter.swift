import CoreSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes detection records as JSON lines to a file descriptor (stdout or a file), one `write`
/// per line so a reader of a pipe never sees half a line, and nothing is buffered in the process
/// (a line is in the kernel once `write(_:)` returns).
///
/// Not thread-safe: one writer belongs to one thread or task at a time.
public final class JSONLinesWriter {
    /// What a failed write says: the destination and the C error text.
    public struct WriteError: Error, CustomStringConvertible {
        public let destination: String
        public let errno: Int32
        public var description: String {
            "cannot write to \(destination): \(String(cString: strerror(errno)))"
        }
    }

    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Where the lines go, for messages: "stdout" or the file path.
    public let destination: String

    /// A writer to standard output.
    public static func standardOutput() -> JSONLinesWriter {
        JSONLinesWriter(fd: STDOUT_FILENO, owns: false, destination: "stdout")
    }

    /// Opens (creates or truncates, or appends when `append`) a file for writing.
    public static func file(atPath path: String, append: Bool = false) throws(WriteError) -> JSONLinesWriter {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw WriteError(destination: path, errno: errno) }
        return JSONLinesWriter(fd: fd, owns: true, destination: path)
    }

    private init(fd: Int32, owns: Bool, destination: String) {
        self.fd = fd
        self.ownsDescriptor = owns
        self.destination = destination
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Points the writer at a fresh open of its file (for logrotate: the old file was renamed):
    /// the path is opened again for appending and put in place of the current descriptor with
    /// `dup2`, which is atomic, so a line being written from another thread lands whole in one
    /// file or the other. Does nothing for standard output.
    public func reopen(append: Bool = true) throws(WriteError) {
        guard ownsDescriptor else { return }
        let fresh = open(destination, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0o644)
        guard fresh >= 0 else { throw WriteError(destination: destination, errno: errno) }
        defer { close(fresh) }
        guard dup2(fresh, fd) >= 0 else { throw WriteError(destination: destination, errno: errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // dup2 clears close-on-exec on the target
    }

    /// Writes one record as a line.
    public func write(_ record: DetectionRecord) throws(WriteError) {
        try writeLine(record.jsonLine())
    }

    /// Writes text that already ends in a newline, retrying on EINTR and partial writes.
    ///
    /// When a write fails part way (a full disk, a file size limit), a file is cut back to its
    /// last complete line before the error is thrown, so it never ends with half a record. (A pipe
    /// cannot be cut: its reader has the part already.)
    public func writeLine(_ line: String) throws(WriteError) {
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = retryingInterrupts {
                bytes.withUnsafeMutableBytes { raw in Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset) }
            }
            switch written {
            case .success(let count): offset += count
            case .failure(let error):
                if offset > 0 { removeLastBytes(offset) }
                throw WriteError(destination: destination, errno: error.code)
            }
        }
        bytes.removeAll()
    }

    /// Cuts the last `count` bytes (the part of a line that was written) off a regular file. The
    /// writer is the file's only writer, so they are the file's last bytes.
    private func removeLastBytes(_ count: Int) {
        var status = stat()
        guard ownsDescriptor, fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        let end = lseek(fd, 0, SEEK_END)
        guard end >= count else { return }
        _ = retryingInterrupts { ftruncate(fd, end - off_t(count)) }
        _ = lseek(fd, end - off_t(count), SEEK_SET)
    }
}
