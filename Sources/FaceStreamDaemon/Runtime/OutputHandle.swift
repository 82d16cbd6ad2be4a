import DetectionSinks
import FaceStreamApp

/// A stream's JSON-lines writer, shared between the stream's sink thread (writes) and the
/// reload thread (`reopen` on SIGHUP).
///
/// `@unchecked Sendable`: the writer's state is its descriptor number and path, both fixed after
/// opening; `write` and `reopen` are single system calls (`write`, `dup2`) that the kernel
/// orders, so the two threads never see a half-changed writer.
final class OutputHandle: @unchecked Sendable {
    let writer: JSONLinesWriter

    init(_ writer: JSONLinesWriter) {
        self.writer = writer
    }

    /// Opens `path` for appending, or standard output for "-".
    static func open(_ path: String) throws(JSONLinesWriter.WriteError) -> OutputHandle {
        if path == "-" { return OutputHandle(.standardOutput()) }
        return OutputHandle(try .file(atPath: path, append: true))
    }
}
