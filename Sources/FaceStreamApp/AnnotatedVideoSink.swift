import DetectionSinks
import FFmpegMedia
import FramePipeline
import Logging
import VideoCore

/// What `--annotate` asks for.
public struct AnnotationRequest: Sendable {
    /// Output file; the container comes from its extension (mp4, mkv, webm, mov, ...).
    public var path: String
    public var style: AnnotationStyle
    public var encoder: VideoEncoderOptions

    public init(path: String, style: AnnotationStyle, encoder: VideoEncoderOptions) {
        self.path = path
        self.style = style
        self.encoder = encoder
    }
}

/// Writes every frame of a run, with faces boxed or hidden, to a video file. Frames that were not
/// analysed carry the boxes of the last analysed frame, so an anonymised video never shows a
/// face unhidden between analysed frames.
///
/// Lives on the pipeline's sink thread; the encoder and muxer calls block there. `finish()` must
/// run at the end of every run, including an interrupted one, so the file gets its trailer.
final class AnnotatedVideoSink {
    private let request: AnnotationRequest
    private let painter = FramePainter(showsScore: true)
    private var writer: FFmpegVideoWriter?
    /// The input file, whose audio is copied; nil for URLs and pipes (video only).
    private let audioSource: String?
    private let logger: Logger?

    init(request: AnnotationRequest, audioSource: String? = nil, logger: Logger? = nil) {
        self.request = request
        self.audioSource = audioSource
        self.logger = logger
    }

    /// Paints and encodes one frame. The writer opens on the first frame (size and rate known);
    /// `frameRate` is read only then.
    func write(_ result: FrameResult<VideoFrame>, frameRate: @autoclosure () -> Double?) throws(FFmpegError) {
        var image = result.frame.image
        painter.paint(&image, faces: result.detections ?? result.heldDetections, style: request.style)
        if writer == nil {
            writer = try FFmpegVideoWriter(
                path: request.path, width: image.width, height: image.height, frameRate: frameRate() ?? 25,
                options: request.encoder, audioSource: audioSource, logger: logger)
        }
        try writer?.write(image, pts: result.frame.pts)
    }

    /// Flushes the encoder and writes the container trailer; frames written so far.
    @discardableResult
    func finish() throws(FFmpegError) -> Int {
        guard let writer else { return 0 }
        try writer.finish()
        return writer.framesWritten
    }
}
