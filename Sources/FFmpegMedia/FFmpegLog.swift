internal import CFFmpeg
import Logging
import Synchronization

/// Routes FFmpeg's own log messages (normally printed to stderr) to swift-log.
///
/// Installed once per process, when FFmpeg's libraries are loaded (`FFmpegLibrary`, the first time
/// any FFmpeg object of this target is made); the logger may be given before or after, through
/// `FFmpegLog.bootstrap(_:)`. Until a logger is given, messages are dropped.
/// FFmpeg levels map to swift-log as panic/fatal -> critical, error -> error, warning -> warning,
/// info -> info, verbose -> debug, debug/trace -> trace; `minimumLevel` filters before formatting.
public enum FFmpegLog {
    private struct State: Sendable {
        var logger: Logger?
        var installed = false
    }

    private static let state = Mutex(State())
    /// The most verbose FFmpeg level the logger takes (FFmpeg levels grow with verbosity); below
    /// `AV_LOG_QUIET` until a logger is given. Read without a lock on every FFmpeg message: the
    /// decoders call the callback for their debug messages too, from every decoding thread, and a
    /// shared lock there cost 4 % of a 16-stream daemon's CPU.
    private static let mostVerboseLevel = Atomic<Int32>(Int32.min)

    /// Sends FFmpeg's messages to `logger` (messages below its level are skipped cheaply). Does not
    /// load FFmpeg.
    public static func bootstrap(_ logger: Logger) {
        state.withLock { $0.logger = logger }
        mostVerboseLevel.store(ffmpegLevel(for: logger.logLevel), ordering: .relaxed)
    }

    /// Installs the callback; FFmpeg's default stderr printing is never used afterwards. Called by
    /// `FFmpegLibrary` right after loading FFmpeg, before any other FFmpeg call.
    static func installIfNeeded() {
        let install = state.withLock { state -> Bool in
            defer { state.installed = true }
            return !state.installed
        }
        if install {
            av_log_set_callback { context, level, format, arguments in
                FFmpegLog.forward(context, level, format, arguments)
            }
        }
    }

    private static func forward(
        _ context: UnsafeMutableRawPointer?, _ level: Int32, _ format: UnsafePointer<CChar>?,
        _ arguments: CVaListPointer?
    ) {
        guard level <= mostVerboseLevel.load(ordering: .relaxed),
            let logger = FFmpegLog.state.withLock({ $0.logger })
        else { return }
        let swiftLevel = FFmpegLog.level(for: level)
        guard swiftLevel >= logger.logLevel, let format, let arguments else { return }
        var line = [CChar](repeating: 0, count: 1024)
        var printPrefix: Int32 = 1
        let capacity = Int32(line.count)
        _ = av_log_format_line2(context, level, format, arguments, &line, capacity, &printPrefix)
        var text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        while text.last == "\n" { text.removeLast() }
        if !text.isEmpty {
            logger.log(level: swiftLevel, "\(text)", metadata: ["source": "ffmpeg"])
        }
    }

    /// The most verbose FFmpeg level that maps to `level` or above (the inverse of `level(for:)`).
    static func ffmpegLevel(for level: Logger.Level) -> Int32 {
        switch level {
        case .trace: Int32.max
        case .debug: AV_LOG_VERBOSE
        case .info: AV_LOG_INFO
        case .notice, .warning: AV_LOG_WARNING
        case .error: AV_LOG_ERROR
        case .critical: AV_LOG_FATAL
        }
    }

    /// swift-log level of an FFmpeg level.
    static func level(for ffmpegLevel: Int32) -> Logger.Level {
        switch ffmpegLevel {
        case ...AV_LOG_FATAL: .critical
        case ...AV_LOG_ERROR: .error
        case ...AV_LOG_WARNING: .warning
        case ...AV_LOG_INFO: .info
        case ...AV_LOG_VERBOSE: .debug
        default: .trace
        }
    }
}
