internal import CFFmpeg
import Synchronization

/// FFmpeg's shared libraries, opened on first use.
///
/// The executable does not link FFmpeg (it would load about 140 shared libraries at every start,
/// most of a photo run's start-up time): CFFmpeg's forwarders reach the real functions once
/// `cffmpeg_load` has opened libavutil, libswscale, libavcodec and libavformat with dlopen.
/// Every public entry point of this target that leads to an FFmpeg call (`FFmpegVideoSource.init`,
/// `FFmpegVideoWriter.init`, `FFmpegImageDecoder.decode`) calls `ensureLoaded()` first; an FFmpeg
/// call before it aborts with a message (a broken invariant of this target, not bad input).
enum FFmpegLibrary {
    /// The first call's outcome; loading is never retried (the dynamic loader would give the same answer).
    private static let outcome = Mutex<Result<Void, FFmpegError>?>(nil)

    /// Opens FFmpeg if not yet done and installs its log callback. Thread-safe; cheap after the first call.
    /// - Throws: `FFmpegError` `.unavailable` naming the missing library or function and the packages
    ///   to install.
    static func ensureLoaded() throws(FFmpegError) {
        let result = outcome.withLock { outcome in
            if let outcome { return outcome }
            let loaded = load()
            outcome = loaded
            return loaded
        }
        try result.get()
    }

    private static func load() -> Result<Void, FFmpegError> {
        var buffer = [CChar](repeating: 0, count: Int(CFFMPEG_ERROR_CAPACITY))
        let capacity = buffer.count
        guard cffmpeg_load(&buffer, capacity) != 0 else {
            FFmpegLog.installIfNeeded()
            return .success(())
        }
        let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .failure(
            FFmpegError(
                kind: .unavailable, operation: "dlopen", resource: "libavformat.so.\(LIBAVFORMAT_VERSION_MAJOR)",
                message: "FFmpeg (needed for videos, streams and non-JPEG pictures) cannot be loaded: \(reason); "
                    + "install it with `apt-get install \(packageNames)` (or `apt-get install ffmpeg`)"))
    }

    /// Debian's package names of the runtime libraries this build's headers belong to.
    static var packageNames: String {
        "libavformat\(LIBAVFORMAT_VERSION_MAJOR) libavcodec\(LIBAVCODEC_VERSION_MAJOR) "
            + "libswscale\(LIBSWSCALE_VERSION_MAJOR) libavutil\(LIBAVUTIL_VERSION_MAJOR)"
    }
}
