import CoreSupport
import FFmpegMedia
import Glibc
import Logging
import VideoCore

/// What `--annotate` (or a stream's `annotate`) asks for.
public struct AnnotationRequest: Sendable, Equatable {
    /// Output file; the container comes from its extension (mp4, mkv, webm, mov, ...).
    public var path: String
    /// How faces are marked or hidden.
    public var style: AnnotationStyle
    /// Encoder, quality and preset.
    public var encoder: VideoEncoderOptions
    /// Mask size and shape, privacy zones, lookahead and fail-closed.
    public var hiding: HidingOptions
    /// Segment files named by start time beside `path`, with retention (the daemon's
    /// `segment_seconds`, `keep_gb`, `keep_days`); nil: one file at `path`.
    public var segments: RecordingSegments?

    /// A request for `path` in `style` with `encoder`, hiding as `hiding` says.
    public init(
        path: String, style: AnnotationStyle, encoder: VideoEncoderOptions, hiding: HidingOptions = HidingOptions(),
        segments: RecordingSegments? = nil
    ) {
        self.path = path
        self.style = style
        self.encoder = encoder
        self.hiding = hiding
        self.segments = segments
    }
}

/// Writes every frame of a run, with faces boxed or hidden, to a video file. It paints each
/// frame's `shownFaces`: on frames between analysed ones those are the faces a processor held
/// over, so an anonymised video never shows a face unhidden between analysed frames.
///
/// Decoded 8-bit 4:2:0 video (`FramePixels.yuv420`) is copied into the encoder's frame and painted
/// there (`YUV420Canvas`, `FFmpegVideoWriter.write(_:pts:painting:)`), tagged with the source's
/// matrix and range: no RGB conversion either way. Other frames (cameras, rotated video, other
/// formats) are painted as RGB, with the same effects per channel, and converted by the writer.
///
/// Lives on the thread that delivers frames in order; the encoder and muxer calls block there.
/// `open()` creates the file before the first frame, so a missing folder or a read-only mount is
/// reported before anything else is written; the encoder starts on the first frame (size and rate
/// known). A file that never received a frame is removed again at `finish()`. Pictures of odd
/// width or height are padded to even by repeating their last column or row (4:2:0 encoders
/// need even sizes).
///
/// Hiding styles hide each face's mask (`HidingOptions`: scaled box, ellipse or rectangle, soft
/// edges); privacy zones are filled black in every style. With a lookahead, frames wait in a
/// `LookaheadBuffer` (whole pictures; see there for the memory) before they are painted, so
/// faces found later are hidden earlier; only this output is delayed, the JSON lines are not.
/// With fail-closed, frames too long after the latest analysis are written black.
///
/// With `request.segments` the frames go to a `SegmentedVideoWriter` instead of one file (see
/// `AnnotatedVideoSink+Segments`); the lookahead and fail-closed work on frames before they reach
/// it, so they flow across segment boundaries.
public final class AnnotatedVideoSink: DetectionSink {
    let request: AnnotationRequest
    let painter = FramePainter(showsScore: true)
    private var lookahead: LookaheadBuffer?
    private var failClosed: FailClosedWatch?
    /// Privacy zone pixels for the latest frame size.
    private var zoneFill: ZoneFill?
    private var writer: FFmpegVideoWriter?
    /// The segments being written, with `request.segments` (made at the first frame).
    var segmented: SegmentedVideoWriter?
    /// The input file, whose audio is copied; nil for URLs and pipes (video only).
    let audioSource: String?
    /// The source's frame rate, read once, at the first frame.
    let frameRate: () -> Double?
    let logger: Logger?
    /// Whether `open()` created the file and no frame has been written to it yet.
    private var createdEmpty = false

    /// A sink writing to `request.path`; `frameRate` is asked for once, at the first frame
    /// (25 when it returns nil).
    public init(
        request: AnnotationRequest, audioSource: String? = nil, frameRate: @escaping () -> Double? = { nil },
        logger: Logger? = nil
    ) {
        self.request = request
        self.audioSource = audioSource
        self.frameRate = frameRate
        self.logger = logger
        if request.style != .box, let seconds = request.hiding.lookahead?.inSeconds, seconds > 0 {
            lookahead = LookaheadBuffer(seconds: seconds)
        }
        failClosed = request.hiding.failClosedAfter.map { FailClosedWatch(limit: $0) }
    }

    /// Annotated video paints on whole pictures.
    public var needsPixels: Bool { true }

    /// Creates (or empties) the file, to find out now whether it can be written.
    public func open() throws(OutputFailure) {
        if request.segments != nil { return try openSegments() }
        switch retryingInterrupts({ Glibc.open(request.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }) {
        case .success(let descriptor):
            close(descriptor)
            createdEmpty = true
        case .failure(let error):
            throw OutputFailure("--annotate: cannot write to \(request.path): \(error); choose a writable path")
        }
    }

    /// Paints and encodes one frame (with a lookahead: takes it, and paints and encodes the
    /// frames that leave the buffer).
    public func write(_ frame: FrameDetections) throws(OutputFailure) {
        guard lookahead != nil else { return try paintAndEncode(frame) }
        for leaving in lookahead?.push(frame) ?? [] { try paintAndEncode(leaving) }
    }

    private func paintAndEncode(_ frame: FrameDetections) throws(OutputFailure) {
        // Decoded 4:2:0 video is painted on its planes and handed to the encoder as it is.
        if case .yuv420(let picture) = frame.frame.pixels { return try paintAndEncodePlanes(picture, frame) }
        guard var image = frame.frame.pixels.rgbImage() else {
            throw OutputFailure("--annotate: frame \(frame.frame.index) carries no whole picture to paint on")
        }
        if concealsFrame(frame) {
            image.pixels.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        } else {
            paintZones(&image)
            if request.style == .box {
                painter.paint(&image, faces: frame.shownFaces, style: .box)
            } else {
                for face in frame.shownFaces {
                    painter.hide(
                        &image,
                        FaceMask(box: face.box, scale: request.hiding.maskScale, shape: request.hiding.maskShape),
                        style: request.style)
                }
            }
        }
        image = image.paddedToEvenSize()
        if request.segments != nil { return writeSegment(.rgb(image), pts: frame.frame.pts) }
        try encode(width: image.width, height: image.height, colors: VideoColorTags()) { writer throws(FFmpegError) in
            try writer.write(image, pts: frame.frame.pts)
        }
    }

    /// Whether fail-closed writes this frame black (warns when an episode starts).
    func concealsFrame(_ frame: FrameDetections) -> Bool {
        guard let (conceals, starts) = failClosed?.conceals(frame), conceals else { return false }
        if starts, let limit = request.hiding.failClosedAfter?.inSeconds {
            logger?.warning(
                "--annotate: \(request.path): no analysed frame for more than \(limit) s; writing black frames until the detector catches up (--fail-closed)"
            )
        }
        return true
    }

    /// Hands one painted picture to the writer, which is made on the first one (`width`, `height`
    /// and `colors` are the video's from then on).
    func encode(
        width: Int, height: Int, colors: VideoColorTags, _ body: (FFmpegVideoWriter) throws(FFmpegError) -> Void
    ) throws(OutputFailure) {
        do {
            if writer == nil {
                createdEmpty = false
                writer = try FFmpegVideoWriter(
                    path: request.path, width: width, height: height, frameRate: frameRate() ?? 25,
                    options: request.encoder, colors: colors, audioSource: audioSource, logger: logger)
            }
            try body(writer!)
        } catch {
            logger?.debug("\(error.detailedDescription)")
            throw OutputFailure("--annotate: \(request.path): \(error.description)")
        }
    }

    /// Flushes the encoder and writes the container trailer; removes the file `open()` created
    /// when no frame came.
    public func finish() throws(OutputFailure) {
        // The frames still held by the lookahead go out first; a failure there still lets the
        // file get its trailer below.
        var pending: OutputFailure?
        if var buffer = lookahead {
            lookahead = nil
            for frame in buffer.flush() where pending == nil {
                do { try paintAndEncode(frame) } catch { pending = error }
            }
        }
        if let failClosed, failClosed.concealedFrames > 0 {
            logger?.info(
                "--annotate: \(request.path): \(failClosed.concealedFrames) frames written black in \(failClosed.episodes) episodes (--fail-closed)"
            )
        }
        segmented?.finish()
        if writer == nil, createdEmpty {
            unlink(request.path)
            createdEmpty = false
        }
        do {
            try writer?.finish()
        } catch {
            logger?.debug("\(error.detailedDescription)")
            throw OutputFailure("--annotate: \(request.path): \(error.description)")
        }
        if let pending { throw pending }
    }

    /// Fills the privacy zones black (their pixels are worked out once per frame size).
    private func paintZones(_ image: inout RGBImage) {
        zones(width: image.width, height: image.height)?.paint(&image)
    }

    /// The privacy zones' pixels for a frame size; nil without zones.
    func zones(width: Int, height: Int) -> ZoneFill? {
        guard !request.hiding.privacyZones.isEmpty else { return nil }
        if zoneFill?.width != width || zoneFill?.height != height {
            zoneFill = ZoneFill(zones: request.hiding.privacyZones, width: width, height: height)
        }
        return zoneFill
    }

    /// Frames written so far.
    public var framesWritten: Int { writer?.framesWritten ?? segmented?.framesWritten ?? 0 }
}
