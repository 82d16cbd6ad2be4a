import FFmpegMedia
import Foundation
import Logging
import VideoCore

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a recording as a series of segment files (`SegmentNaming`), each an `FFmpegVideoWriter`
/// of its own: the first frame whose stream time reaches the segment's start plus its length
/// starts the next file (a new encoder, so every segment begins with a key frame and plays on its
/// own). Each segment's timestamps start at 0. MP4 segments are fragmented like every recording,
/// so a killed process loses at most the part of the segment being written since its last
/// fragment; the finished segments have their trailers.
///
/// A new segment also starts when the stream time goes backwards (a source that restarted its
/// clock), the picture size changes, or decoded planes change their colour tags. Frames without a time count as one frame after the previous
/// one. After a segment closes, retention (`SegmentRetention`) deletes the oldest segments.
///
/// A failure (disk full, folder removed) never stops the stream: it is logged once, the segment
/// is closed as far as it can be, and recording resumes with a new segment at the next boundary.
///
/// Not thread-safe: lives on the thread that writes the frames (encoding, file writes and the
/// retention scan block there, the scan once per segment).
public final class SegmentedVideoWriter {
    /// Where the segments go and how they are named.
    public let naming: SegmentNaming
    /// Segment length and retention caps.
    public let settings: RecordingSegments
    private let frameRate: Double
    private let encoder: VideoEncoderOptions
    private let logger: Logger?
    private let now: () -> Date

    private var writer: FFmpegVideoWriter?
    /// Stream time (seconds) of the current segment's first frame, and of the next cut.
    private var segmentStart: Double?
    private var nextCut = 0.0
    private var lastTime: Double?
    /// The colour tags the current segment was opened with.
    private var segmentColors = VideoColorTags()
    /// True from a failure until the next segment opens; the message last logged.
    private var paused = false
    private var lastFailure: String?
    private var lastStartName: Date?

    /// Pictures written to all segments.
    public private(set) var framesWritten = 0
    /// Segment files opened so far.
    public private(set) var segmentsStarted = 0
    /// Failures (each paused the recording until the next boundary).
    public private(set) var failures = 0
    /// Segments deleted by retention.
    public private(set) var segmentsDeleted = 0
    /// The segment being written (nil between a failure and the next boundary, and after `finish`).
    public var currentPath: String? { writer?.path }

    /// A recording beside `naming`'s path cut as `settings` says; `now` gives the wall-clock time
    /// segments are named by.
    public init(
        naming: SegmentNaming, settings: RecordingSegments, frameRate: Double, encoder: VideoEncoderOptions,
        logger: Logger?, now: @escaping () -> Date = Date.init
    ) {
        self.naming = naming
        self.settings = settings
        self.frameRate = frameRate > 0 && frameRate.isFinite ? frameRate : 25
        self.encoder = encoder
        self.logger = logger
        self.now = now
    }

    deinit { finish() }

    /// Writes `image` shown at `pts` seconds of stream time into the current segment, starting a
    /// new one first when the frame is past the segment's end. Never throws (see the type).
    public func write(_ image: RGBImage, pts: Double?) { write(.rgb(image), pts: pts) }

    /// Writes `picture` shown at `pts` seconds of stream time into the current segment, starting
    /// a new one first when the frame is past the segment's end, the picture size changed, or
    /// (for planes) its colour tags changed. Never throws (see the type).
    public func write(_ picture: SegmentPicture, pts: Double?) {
        let time = pts.flatMap { $0.isFinite ? $0 : nil } ?? (lastTime.map { $0 + 1 / frameRate } ?? 0)
        lastTime = time
        let sizeChanged =
            writer.map { $0.width != picture.width || $0.height != picture.height } ?? false
        let colorsChanged = writer != nil && segmentColors != picture.colors
        if let start = segmentStart, time < nextCut, time >= start, !sizeChanged, !colorsChanged {
            guard let writer else { return }  // paused until the next boundary
            do {
                try picture.write(to: writer, pts: time - start)
                framesWritten += 1
            } catch {
                fail(error)
            }
            return
        }
        let swept = closeSegment()
        startSegment(at: time, width: picture.width, height: picture.height, colors: picture.colors, sweeping: !swept)
        guard let writer else { return }
        do {
            try picture.write(to: writer, pts: 0)
            framesWritten += 1
        } catch {
            fail(error)
        }
    }

    /// Finishes the current segment (trailer) and applies retention. Later calls do nothing.
    public func finish() {
        _ = closeSegment()
    }

    /// Opens the next segment; applies retention first when `sweeping` (the first segment, or one
    /// after a pause: a segment that just closed has swept already).
    private func startSegment(at time: Double, width: Int, height: Int, colors: VideoColorTags, sweeping: Bool) {
        segmentStart = time
        segmentColors = colors
        nextCut = time + settings.length.inSeconds
        if sweeping { segmentsDeleted += SegmentRetention.sweep(naming, settings: settings, now: now()) }
        let (name, start) = freeName()
        lastStartName = start
        let path = naming.path(of: name)
        do {
            writer = try FFmpegVideoWriter(
                path: path, width: width, height: height, frameRate: frameRate, options: encoder, colors: colors,
                logger: logger)
            segmentsStarted += 1
            if paused {
                logger?.notice("recording resumed: \(path)")
                paused = false
                lastFailure = nil
            }
        } catch {
            // An empty file left by the failed open is no segment.
            var status = stat()
            if stat(path, &status) == 0, status.st_size == 0 { unlink(path) }
            fail(error)
        }
    }

    /// The name for a segment starting now: the wall-clock second, or the next free second after
    /// it when that name is taken (a restart within the same second, a file read faster than
    /// real time), never earlier than the previous segment's name.
    private func freeName() -> (String, Date) {
        var start = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
        if let previous = lastStartName, start <= previous { start = previous.addingTimeInterval(1) }
        for _ in 0..<Self.nameAttempts {
            let name = naming.fileName(start: start)
            if !FileManager.default.fileExists(atPath: naming.path(of: name)) { return (name, start) }
            start = start.addingTimeInterval(1)
        }
        return (naming.fileName(start: start), start)
    }

    /// Seconds tried after the wall-clock one when names are taken.
    static let nameAttempts = 3600

    /// Finishes the segment being written, if any, and applies retention; true when it did.
    private func closeSegment() -> Bool {
        guard let current = writer else { return false }
        writer = nil
        do {
            try current.finish()
        } catch {
            fail(error)
        }
        segmentsDeleted += SegmentRetention.sweep(naming, settings: settings, now: now())
        return true
    }

    /// Logs the failure (once per episode unless its text changes), drops the segment and waits
    /// for the next boundary.
    private func fail(_ error: FFmpegError) {
        failures += 1
        let path = writer?.path ?? error.resource
        writer = nil
        paused = true
        logger?.debug("\(error.detailedDescription)")
        guard error.description != lastFailure else { return }
        lastFailure = error.description
        logger?.error(
            "recording \(path): \(error.description); recording paused, a new segment is tried in \(Self.format(settings.length.inSeconds)) s of stream time"
        )
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
