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

    /// A request for `path` in `style` with `encoder`.
    public init(path: String, style: AnnotationStyle, encoder: VideoEncoderOptions) {
        self.path = path
        self.style = style
        self.encoder = encoder
    }
}

/// Writes every frame of a run, with faces boxed or hidden, to a video file. It paints each
/// frame's `shownFaces`: on frames between analysed ones those are the faces a processor held
/// over, so an anonymised video never shows a face unhidden between analysed frames.
///
/// Lives on the thread that delivers frames in order; the encoder and muxer calls block there.
/// `open()` creates the file before the first frame, so a missing folder or a read-only mount is
/// reported before anything else is written; the encoder starts on the first frame (size and rate
/// known). A file that never received a frame is removed again at `finish()`. Pictures of odd
/// width or height are padded to even by repeating their last column or row (4:2:0 encoders
/// need even sizes).
public final class AnnotatedVideoSink: DetectionSink {
    private let request: AnnotationRequest
    private let painter = FramePainter(showsScore: true)
    private var writer: FFmpegVideoWriter?
    /// The input file, whose audio is copied; nil for URLs and pipes (video only).
    private let audioSource: String?
    /// The source's frame rate, read once, at the first frame.
    private let frameRate: () -> Double?
    private let logger: Logger?
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
    }

    /// Annotated video paints on whole pictures.
    public var needsPixels: Bool { true }

    /// Creates (or empties) the file, to find out now whether it can be written.
    public func open() throws(OutputFailure) {
        switch retryingInterrupts({ Glibc.open(request.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }) {
        case .success(let descriptor):
            close(descriptor)
            createdEmpty = true
        case .failure(let error):
            throw OutputFailure("--annotate: cannot write to \(request.path): \(error); choose a writable path")
        }
    }

    /// Paints and encodes one frame.
    public func write(_ frame: FrameDetections) throws(OutputFailure) {
        guard var image = frame.frame.pixels.rgbImage() else {
            throw OutputFailure("--annotate: frame \(frame.frame.index) carries no whole picture to paint on")
        }
        painter.paint(&image, faces: frame.shownFaces, style: request.style)
        image = image.paddedToEvenSize()
        do {
            if writer == nil {
                createdEmpty = false
                writer = try FFmpegVideoWriter(
                    path: request.path, width: image.width, height: image.height, frameRate: frameRate() ?? 25,
                    options: request.encoder, audioSource: audioSource, logger: logger)
            }
            try writer?.write(image, pts: frame.frame.pts)
        } catch {
            logger?.debug("\(error.detailedDescription)")
            throw OutputFailure("--annotate: \(request.path): \(error.description)")
        }
    }

    /// Flushes the encoder and writes the container trailer; removes the file `open()` created
    /// when no frame came.
    public func finish() throws(OutputFailure) {
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
    }

    /// Frames written so far.
    public var framesWritten: Int { writer?.framesWritten ?? 0 }
}
