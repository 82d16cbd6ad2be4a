import Foundation
import Logging
import Synchronization
import VideoCore

/// A V4L2 camera (through libv4l2) as a live `FrameSource`: mmap streaming, frames converted to RGB.
///
/// - Nothing is opened in `init`. The first `next()` opens the device; a device that is missing
///   (or busy, or failing) is waited for with `options.reconnect`'s back-off, logged once.
/// - A camera that disappears (ENODEV, EIO) or sends nothing for `options.frameTimeout` is closed
///   and reopened the same way; frame numbers go on counting. Losses and recoveries are logged
///   once each and counted in `statistics` (`disconnects`, `reconnects`); a camera counts as back
///   with its first frame, not when it merely opens again.
/// - A node that exists but cannot capture now (a loopback device without producer, or a
///   metadata node given by mistake) is waited for too, with a warning that says which.
/// - Permanent problems throw: not a V4L2 device, permission denied, no usable format.
/// - Damaged frames (driver error flag, truncated, corrupt JPEG) are skipped and counted in
///   `statistics.corruptPackets`.
/// - `pts` is the kernel's buffer timestamp in seconds since the first frame of this source;
///   `receivedAt` is the wall clock when the frame was dequeued.
///
/// `@unchecked Sendable`: the session and the numbering are touched only by the thread calling
/// `next()`; `stop()`, `statistics` and `format` use the stop signal and `Mutex`es.
public final class V4L2Camera: FrameSource, @unchecked Sendable {
    /// The device path as given, e.g. `/dev/video0` or a `/dev/v4l/by-id/...` link.
    public let name: String
    /// Always `.live`: frames are dropped, not waited for, when the consumer falls behind.
    public let pacing = SourcePacing.live
    public let options: V4L2CameraOptions
    let logger: Logger
    let stopSignal = StopSignal()
    private let counters = Mutex(SourceStatistics())
    private let currentFormat = Mutex<NegotiatedFormat?>(nil)

    // Owned by the thread calling next().
    private var session: CaptureSession?
    private var converter: FrameConverter?
    private var hasOpened = false
    private var nextIndex = 0
    private var firstTimestamp: Int64?
    private var warnedAboutCorruption = false
    /// Lost and not yet delivering again: a reopened device counts as back only with its first frame.
    private var recovering = false

    /// A camera source for `device`; nothing is opened until `next()`.
    public init(device: String, options: V4L2CameraOptions = V4L2CameraOptions(), logger: Logger) {
        name = device
        self.options = options
        self.logger = logger
    }

    /// Counters so far. Thread-safe.
    public var statistics: SourceStatistics { counters.withLock { $0 } }

    /// The format the camera streams in now; nil while it is not open. Thread-safe.
    public var format: NegotiatedFormat? { currentFormat.withLock { $0 } }

    /// Makes a blocked or future `next()` return `.end` within about 100 ms. Thread-safe, idempotent.
    public func stop() { stopSignal.fire() }

    /// Waits until the camera is open (a missing one is waited for with back-off); returns at
    /// once after `stop()`.
    public func prepare() throws(V4L2Error) {
        if session == nil, !stopSignal.isFired { _ = try open() }
    }

    /// The next frame; `.end` only after `stop()`. Throws when the device cannot be used at all
    /// (or the reconnect policy gives up).
    public func next() throws(V4L2Error) -> SourceEvent {
        while true {
            if stopSignal.isFired { return .end }
            if session == nil {
                guard try open() else { return .end }
            }
            let raw: CaptureSession.RawFrame
            do {
                guard let captured = try session!.nextFrame(timeout: options.frameTimeout, stop: stopSignal) else {
                    return .end
                }
                raw = captured
            } catch {
                if stopSignal.isFired { return .end }
                guard error.isTransient else { throw error }
                lose(error)
                continue
            }
            let receivedAt = Date()
            if raw.damaged {
                noteCorruption("the driver flagged a damaged buffer")
                continue
            }
            do {
                let image = try converter!.convert(raw.bytes)
                return .frame(emit(image, timestamp: raw.timestampMicroseconds, receivedAt: receivedAt))
            } catch {
                noteCorruption(error.message)
            }
        }
    }

    private func emit(_ image: RGBImage, timestamp: Int64?, receivedAt: Date) -> VideoFrame {
        defer { nextIndex += 1 }
        counters.withLock {
            $0.framesDecoded += 1
            if recovering { $0.reconnects += 1 }
        }
        if recovering {
            recovering = false
            logger.notice("camera \(name) is back (\(converter?.format.description ?? "?"))")
        }
        var pts: Double?
        if let timestamp {
            if firstTimestamp == nil { firstTimestamp = timestamp }
            // Integer microseconds first, so pts reads 0.024486, not 0.024485999999999564.
            pts = Double(timestamp - firstTimestamp!) / 1e6
        }
        return VideoFrame(image: image, index: nextIndex, pts: pts, receivedAt: receivedAt)
    }

    /// Drops the session after a loss; logs and counts it.
    private func lose(_ error: V4L2Error) {
        session = nil
        converter = nil
        currentFormat.withLock { $0 = nil }
        if recovering {
            logger.debug("camera \(name) still silent: \(error.operation): \(error.message)")
            return
        }
        recovering = true
        counters.withLock { $0.disconnects += 1 }
        logger.warning("lost camera \(name): \(error.operation): \(error.message); reopening")
    }

    private func noteCorruption(_ reason: String) {
        counters.withLock { $0.corruptPackets += 1 }
        if !warnedAboutCorruption {
            warnedAboutCorruption = true
            logger.warning("\(name): damaged frame skipped (\(reason)); further ones are only counted")
        }
    }

    /// Opens the camera, waiting with back-off while it is missing. False when stopped.
    private func open() throws(V4L2Error) -> Bool {
        let policy = options.reconnect
        var attempt = 0
        var report = RetryReport()
        while true {
            do {
                let opened = try CaptureSession(path: name, request: options.format, bufferCount: options.bufferCount)
                session = opened
                converter = FrameConverter(format: opened.format)
                currentFormat.withLock { $0 = opened.format }
                if hasOpened {
                    logger.debug("camera \(name) reopened (\(opened.format))")
                } else if attempt > 0 {
                    logger.notice("camera \(name) appeared (\(opened.format))")
                } else {
                    logger.info("camera \(name): \(opened.format)")
                }
                hasOpened = true
                return true
            } catch {
                if stopSignal.isFired { return false }
                // A loopback device without its producer is not a capture node (yet): wait for it too.
                let waitable = error.isTransient || error.kind == .notCapturing
                guard waitable else { throw error }
                attempt += 1
                if policy.allows(attempt: attempt),
                    let line = report.line(reason: error.message, nextAttemptIn: policy.delay(beforeAttempt: attempt))
                {
                    logger.warning("\(hasOpened ? "reopening" : "waiting for") camera \(name): \(line)")
                } else {
                    logger.debug("camera \(name), attempt \(attempt): \(error.description)")
                }
                guard policy.allows(attempt: attempt) else {
                    throw V4L2Error(
                        kind: error.kind, operation: "reopen", device: name, errno: error.errno,
                        message: "gave up after \(attempt - 1) retries: \(error.message)")
                }
                options.sleeper.sleep(for: policy.delay(beforeAttempt: attempt), unlessFired: stopSignal)
                if stopSignal.isFired { return false }
            }
        }
    }
}
