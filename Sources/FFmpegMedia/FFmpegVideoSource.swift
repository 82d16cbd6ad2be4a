internal import CFFmpeg
import Foundation
import Logging
import Synchronization
import VideoCore

/// Decodes a video file, a network stream or a pipe with FFmpeg (libavformat, libavcodec) and
/// returns every frame through its convert stage (`FrameConversion`), or, with
/// `options.analysisRate`, only the frames that rate analyses (the others are passed over).
///
/// - Files open in `init`, so a missing file, a file without video or an unsupported codec throw
///   there. URLs and pipes open in the first `next()`, where `stop()` can interrupt them.
/// - Corrupt or truncated data is decoded as far as possible; damaged packets are counted in
///   `statistics.corruptPackets` and logged once, never thrown.
/// - A live URL that drops (end of stream, I/O error, silence longer than the read timeout) is
///   reopened with `options.reconnect`'s back-off; frame numbers go on counting.
///
/// `@unchecked Sendable`: the FFmpeg state (`session` and the numbering) is touched only by the
/// one thread that calls `next()`; `stop()` and `statistics` use only the stop signal (atomic,
/// condition variable) and a `Mutex`.
public final class FFmpegVideoSource: FrameSource, @unchecked Sendable {
    /// The input as named by the user: path, URL, `-` or `fd:N`.
    public let name: String
    /// `.live` for URLs, `.file` for files and pipes.
    public let pacing: SourcePacing
    /// What is read.
    public let input: VideoInput
    let options: VideoSourceOptions
    /// The convert stage's sampler (`FrameConversion.sampled`); nil for whole pictures.
    let sampler: (any PictureSampler)?
    let logger: Logger
    let stopSignal = StopSignal()
    let interrupt: InterruptGuard
    private let counters = Mutex(SourceStatistics())
    private let warnedAboutCorruption = Atomic<Bool>(false)

    // Owned by the thread calling next().
    private var session: DecodingSession?
    private(set) var hasOpened = false
    private var finished = false
    private var nextIndex = 0
    /// Picks the frames handed on when `options.analysisRate` is set; kept across reconnects, as
    /// the pipeline's own selection is.
    private var selector: RateSelector?

    /// Prepares a source; opens files at once (throws when they cannot be decoded), URLs and pipes
    /// on the first `next()`. `conversion` is the convert stage, run on the decode thread: whole
    /// pictures, or only the pixels a sampler reads (see `FrameConversion`).
    public init(
        _ input: VideoInput, options: VideoSourceOptions = VideoSourceOptions(),
        conversion: FrameConversion = .wholePictures, logger: Logger
    ) throws(FFmpegError) {
        if case .sampled(let sampler) = conversion { self.sampler = sampler } else { sampler = nil }
        try FFmpegLibrary.ensureLoaded()
        self.input = input
        self.name = input.name
        self.pacing = input.pacing
        self.options = options
        self.logger = logger
        interrupt = InterruptGuard(stop: stopSignal)
        selector = options.analysisRate.map(RateSelector.init)
        if case .file = input {
            session = try openSession()
            hasOpened = true
        }
    }

    /// Counters so far. Thread-safe.
    public var statistics: SourceStatistics { counters.withLock { $0 } }

    /// Makes a blocked or future `next()` return `.end` promptly (a blocked network read or pipe
    /// read gives up within about 100 ms; a back-off wait ends at once). Thread-safe, idempotent.
    public func stop() { stopSignal.fire() }

    /// Opens a URL or pipe that is not open yet (files open in `init`); returns at once after
    /// `stop()`. Throws as the first `next()` would.
    public func prepare() throws(FFmpegError) {
        guard session == nil, !hasOpened, !stopSignal.isFired else { return }
        do {
            session = try openSession()
            hasOpened = true
        } catch {
            if stopSignal.isFired { return }
            throw error
        }
    }

    /// The next decoded frame, or `.end` at the end of a file or pipe or after `stop()`.
    /// Throws when the input cannot be opened, or a live URL cannot be reopened within the policy.
    public func next() throws(FFmpegError) -> SourceEvent {
        while true {
            if stopSignal.isFired || finished { return .end }
            if session == nil {
                if hasOpened {
                    guard let reopened = try reconnect() else { return .end }
                    session = reopened
                } else {
                    try prepare()
                    if session == nil { return .end }  // stopped while opening
                }
            }
            do {
                interrupt.arm(isFile ? nil : options.readTimeout)
                guard let decoded = try session!.nextFrame(selecting: &selector) else {
                    if pacing == .live {
                        lose(reason: "the stream ended")
                        continue
                    }
                    finished = true
                    session = nil
                    return .end
                }
                return .frame(emit(decoded))
            } catch {
                if stopSignal.isFired { return .end }
                if pacing == .live {
                    lose(
                        reason: interrupt.deadlineExpired
                            ? "no video frame for \(seconds(options.readTimeout))" : error.message)
                    continue
                }
                finished = true
                session = nil
                throw readFailure(error)
            }
        }
    }

    private var isFile: Bool { isFileInput }

    /// Records the frame count a file declares.
    func updateExpectedFrames(_ count: Int?) {
        counters.withLock { $0.expectedFrames = count }
    }

    /// Records the frame rate the stream declares.
    func updateFrameRate(_ rate: Double?) {
        counters.withLock { $0.nominalFrameRate = rate }
    }

    /// Counts a successful reconnect.
    func countReconnect() {
        counters.withLock { $0.reconnects += 1 }
    }

    /// Counts a frame passed over (`options.analysisRate`); `decoded` false when it was not decoded.
    func countPassOver(decoded: Bool) {
        counters.withLock {
            $0.framesPassedOver += 1
            if !decoded { $0.framesNotDecoded += 1 }
        }
    }

    /// Numbers and stamps a decoded frame and counts it. Frames passed over before it keep their
    /// numbers.
    private func emit(_ decoded: DecodingSession.Decoded) -> VideoFrame {
        nextIndex += decoded.passedOverBefore
        defer { nextIndex += 1 }
        counters.withLock { $0.framesDecoded += 1 }
        let receivedAt = isFile ? nil : Date()
        return VideoFrame(pixels: decoded.pixels, index: nextIndex, pts: decoded.pts, receivedAt: receivedAt)

    }

    /// Drops the current session of a live URL, logging and counting the loss.
    private func lose(reason: String) {
        session = nil
        counters.withLock { $0.disconnects += 1 }
        logger.warning("lost video source \(name): \(reason); reconnecting")
    }

    /// Counts one corrupt packet or frame; warns the first time.
    func noteCorruption() {
        counters.withLock { $0.corruptPackets += 1 }
        if !warnedAboutCorruption.exchange(true, ordering: .relaxed) {
            logger.warning("\(name): corrupt data in the video stream; decoding goes on (corrupt packets are counted)")
        }
    }
}
