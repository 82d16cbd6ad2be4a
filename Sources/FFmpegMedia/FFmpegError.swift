/// A failure reported by FFmpeg (or found while checking what it returned), with enough context to
/// act on: what kind, which call, which file, FFmpeg's code and text.
public struct FFmpegError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, to switch on.
    public enum Kind: Sendable, Equatable {
        /// The file does not exist or cannot be read.
        case cannotOpen
        /// The bytes are not a format FFmpeg recognises, or are damaged (`AVERROR_INVALIDDATA`).
        case invalidData
        /// The file holds no picture (no video stream, or no frame could be decoded).
        case noPicture
        /// No decoder or conversion is available for what the file holds.
        case unsupported
        /// The picture is empty or larger than accepted.
        case invalidSize
        /// A network source could not be reached (refused, unknown host, gave up reconnecting).
        case unreachable
        /// A URL or pipe sent nothing (or no video) within the open or read timeout.
        case timedOut
        /// FFmpeg could not allocate memory.
        case outOfMemory
        /// FFmpeg's shared libraries (or a function in them) could not be loaded; `message` says what is
        /// missing and which packages to install.
        case unavailable
        /// Any other FFmpeg failure; see `code` and `message`.
        case other
    }

    /// The kind of failure.
    public var kind: Kind
    /// The failing call, e.g. `"avformat_open_input"` or `"avcodec_send_packet"`.
    public var operation: String
    /// The file or URL being processed.
    public var resource: String
    /// FFmpeg's return code (a negative `AVERROR`), 0 when the failure was found by this code.
    public var code: Int32
    /// FFmpeg's text for `code` (`av_strerror`) or a description.
    public var message: String

    /// Creates an error value.
    public init(kind: Kind, operation: String, resource: String, code: Int32 = 0, message: String) {
        self.kind = kind
        self.operation = operation
        self.resource = resource
        self.code = code
        self.message = message
    }

    /// The line a user sees: what happened and what to do (`message`); the caller names the
    /// input. No FFmpeg function names or error numbers: those are in `detailedDescription`.
    public var description: String { message }

    /// Everything, for `--verbose` and bug reports: the call, the resource, the text and FFmpeg's code.
    public var detailedDescription: String {
        if kind == .unavailable { return message }
        let codeText = code != 0 ? " (AVERROR \(code))" : ""
        return "\(operation) failed for \(resource): \(message)\(codeText)"
    }
}
