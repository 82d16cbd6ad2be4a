internal import CFFmpeg

/// FFmpeg's error codes that this target tells apart. `AVERROR(e)` and `FFERRTAG` are macros the
/// importer cannot see: POSIX ones come from the CFFmpeg shim, tag ones are rebuilt here.
enum AVErrorCode {
    static let endOfFile = cffmpeg_averror_eof()
    static let tryAgain = cffmpeg_averror(EAGAIN)
    static let noMemory = cffmpeg_averror(ENOMEM)
    static let noSuchFile = cffmpeg_averror(ENOENT)
    static let accessDenied = cffmpeg_averror(EACCES)
    static let invalidArgument = cffmpeg_averror(EINVAL)
    static let connectionRefused = cffmpeg_averror(ECONNREFUSED)
    static let timedOut = cffmpeg_averror(ETIMEDOUT)
    static let invalidData = tag(0x49, 0x4E, 0x44, 0x41)  // "INDA"
    static let exit = tag(0x45, 0x58, 0x49, 0x54)  // "EXIT": interrupted by the interrupt callback
    static let protocolNotFound = tag(0xF8, 0x50, 0x52, 0x4F)  // 0xF8 "PRO"
    static let demuxerNotFound = tag(0xF8, 0x44, 0x45, 0x4D)  // 0xF8 "DEM"
    static let decoderNotFound = tag(0xF8, 0x44, 0x45, 0x43)  // 0xF8 "DEC"
    static let streamNotFound = tag(0xF8, 0x53, 0x54, 0x52)  // 0xF8 "STR"

    /// `FFERRTAG(a, b, c, d)` = `-MKTAG(a, b, c, d)`.
    private static func tag(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> Int32 {
        -Int32(bitPattern: a | (b << 8) | (c << 16) | (d << 24))
    }

    /// FFmpeg's text for a code.
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let capacity = buffer.count
        if av_strerror(code, &buffer, capacity) < 0 { return "unknown FFmpeg error \(code)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Runs one FFmpeg call and maps a negative return code to `FFmpegError`; returns the (non-negative)
/// result otherwise. Every FFmpeg return code of this target goes through here.
@discardableResult
func avCall(_ operation: String, resource: String, _ body: () -> Int32) throws(FFmpegError) -> Int32 {
    let result = body()
    guard result < 0 else { return result }
    throw FFmpegError(
        kind: kind(of: result), operation: operation, resource: resource, code: result,
        message: AVErrorCode.message(result))
}

/// Classifies an `AVERROR`.
func kind(of code: Int32) -> FFmpegError.Kind {
    switch code {
    case AVErrorCode.noSuchFile, AVErrorCode.accessDenied: .cannotOpen
    case AVErrorCode.invalidData, AVErrorCode.endOfFile: .invalidData
    case AVErrorCode.noMemory: .outOfMemory
    case AVErrorCode.decoderNotFound: .unsupported
    case AVErrorCode.streamNotFound: .noPicture
    default: .other
    }
}
