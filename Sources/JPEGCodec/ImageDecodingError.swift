/// Why a picture could not be decoded (or encoded): the one error type of `JPEGCodec`, thrown by
/// `JPEGDecoder` and `JPEGEncoder`; bad input never crashes.
public struct ImageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is, to switch on.
    public enum Code: Sendable, Equatable {
        /// No bytes at all.
        case emptyInput
        /// The bytes are not a JPEG stream libjpeg can decode (bad markers, unsupported coding...).
        case malformed
        /// The stream is damaged or truncated (libjpeg warned, e.g. "Premature end of JPEG file").
        case corruptData
        /// The header announces a picture larger than the decoder accepts.
        case tooLarge
        /// The colour space cannot be converted to RGB.
        case unsupportedColorSpace
        /// Encoding failed: a size or quality the encoder does not take, or libjpeg stopped.
        case encodingFailed
    }

    /// The kind of failure.
    public var code: Code
    /// The failing step, e.g. `"jpeg_read_header"` or `"jpeg_decode"`.
    public var operation: String
    /// libjpeg's message code (`J_MESSAGE_CODE`), 0 when the failure is not libjpeg's.
    public var libraryCode: Int32
    /// Human-readable text, libjpeg's own message where there is one.
    public var message: String

    /// Creates an error value.
    public init(code: Code, operation: String, libraryCode: Int32 = 0, message: String) {
        self.code = code
        self.operation = operation
        self.libraryCode = libraryCode
        self.message = message
    }

    public var description: String {
        let library = libraryCode != 0 ? " (libjpeg code \(libraryCode))" : ""
        let action = code == .encodingFailed ? "encoding" : "decoding"
        return "JPEG \(action) failed in \(operation): \(code): \(message)\(library)"
    }
}
