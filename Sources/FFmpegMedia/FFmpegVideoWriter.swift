internal import CFFmpeg
import Logging
import VideoCore

/// Encodes RGB pictures into a video file (libavcodec + libavformat), e.g. the annotated output of
/// `--annotate OUT`. The container follows the file name (`.mp4`, `.mkv`, `.mov`, `.webm`); the
/// encoder is `options.codec` or chosen by container (x264, VP9 for WebM). RGB pictures are
/// converted to the encoder's pixel format (yuv420p) with libswscale; 4:2:0 planes
/// (`write(_: YUV420Picture, pts:)`) are copied into the encoder's frame as they are.
///
/// Timestamps: `write(_:pts:)` takes the source's presentation time in seconds and keeps it
/// (rescaled to the stream's time base; nudged forward when not increasing). Call `finish()` to
/// flush the encoder and write the container trailer; `deinit` does it when `finish()` was not
/// called, so a run that stops early still leaves a playable file.
///
/// Audio: given `audioSource` (the source video's file), its audio and subtitle streams are copied
/// unchanged (no re-encoding) with their own timestamps, so they stay aligned with the source
/// pictures' `pts`; so are its chapters and tags (title, creation time; not the video stream's
/// display matrix: the pictures written are upright). Streams the container cannot hold (AAC in
/// WebM, mov_text in Matroska) are left out with one warning. Only files: a URL or pipe cannot be
/// read twice, so live inputs give video-only files.
///
/// Not thread-safe: one writer belongs to one thread (encoding and file writes block).
public final class FFmpegVideoWriter {
    /// The file written.
    public let path: String
    /// Picture size in pixels; every written picture must have it.
    public let width: Int
    public let height: Int
    /// The encoder in use, e.g. "libx264".
    public let encoderName: String
    /// Pictures accepted so far.
    public internal(set) var framesWritten = 0
    /// Audio streams copied from `audioSource` (0 without one).
    public var audioStreamsCopied: Int { audio?.audioCount ?? 0 }
    /// Subtitle streams copied from `audioSource` (0 without one).
    public var subtitleStreamsCopied: Int { audio?.subtitleCount ?? 0 }
    /// Audio and subtitle streams of `audioSource` left out, e.g. `["#1 aac"]`: the container
    /// cannot hold them.
    public let audioStreamsSkipped: [String]

    // Internal (not private) for the +Writing extension; C objects stay inside this target.
    let muxer: MuxerContext
    let encoder: CodecContext
    /// RGB -> encoder format; made on the first RGB picture (a writer fed planes never needs it).
    var rgbConverter: EncoderPictureConverter?
    /// The encoder's pixel format.
    let pixelFormat: AVPixelFormat
    /// The frame 4:2:0 planes are copied into; made on the first `write(_: YUV420Picture, ...)`.
    var planeFrame: Frame?
    let packet: Packet
    let streamIndex: Int32
    /// Copies the source's audio; nil without an audio source (or when it could not be opened).
    let audio: AudioPassthrough?
    let logger: Logger?
    /// Encoder time base (pts units), as a fraction of a second.
    let timeBase: AVRational
    /// One frame at the nominal rate, in `timeBase` units (at least 1).
    let frameDuration: Int64
    var lastPTS: Int64?
    /// Smallest timestamp step (in `timeBase` units) that stays distinct in the stream's own time
    /// base, so nudged timestamps remain increasing after the muxer's rescaling.
    var minimumStep: Int64 = 1
    /// True until the header is written and again once the trailer is.
    var finished = true

    /// Creates `path` (replacing it) and writes the container header.
    /// - Parameters:
    ///   - frameRate: nominal frames per second (the encoder's rate control and the default frame
    ///     duration); timestamps passed to `write` decide the actual timing.
    ///   - timeBase: unit of the stored timestamps, `numerator/denominator` seconds; default 1/90000.
    ///   - audioSource: a file whose audio streams are copied into the output, normally the file the
    ///     pictures come from (`write`'s `pts` must be in its time line). nil: video only.
    ///   - colors: the matrix and range the file is tagged with: BT.601 limited range (what RGB
    ///     pictures are converted to) unless the pictures written are planes in another one.
    ///   - logger: receives the warnings about audio (streams left out, source unreadable).
    /// - Throws: `FFmpegError` `.unsupported` for an unknown extension or encoder, `.cannotOpen` when
    ///   the file cannot be created (missing folder, no permission), `.invalidSize` for a bad size.
    public init(
        path: String, width: Int, height: Int, frameRate: Double,
        timeBase: (numerator: Int32, denominator: Int32) = (1, 90_000),
        options: VideoEncoderOptions = VideoEncoderOptions(), colors: VideoColorTags = VideoColorTags(),
        audioSource: String? = nil, logger: Logger? = nil
    ) throws(FFmpegError) {
        try FFmpegLibrary.ensureLoaded()
        guard width > 0, height > 0, width <= 16_384, height <= 16_384 else {
            throw FFmpegError(
                kind: .invalidSize, operation: "FFmpegVideoWriter", resource: path,
                message: "cannot encode pictures of \(width)x\(height) pixels")
        }
        guard frameRate.isFinite, frameRate > 0, timeBase.numerator > 0, timeBase.denominator > 0 else {
            throw FFmpegError(
                kind: .other, operation: "FFmpegVideoWriter", resource: path,
                message: "frame rate \(frameRate) and time base \(timeBase) must be positive")
        }
        self.path = path
        self.width = width
        self.height = height
        muxer = try MuxerContext(path: path)
        let name = options.encoderName(forFormat: muxer.formatName)
        encoderName = name
        guard let codec = avcodec_find_encoder_by_name(name), codec.pointee.type == AVMEDIA_TYPE_VIDEO else {
            throw FFmpegError(
                kind: .unsupported, operation: "avcodec_find_encoder_by_name", resource: path,
                message: "no video encoder named \"\(name)\" in this FFmpeg (see `ffmpeg -encoders`)")
        }
        let pixelFormat = Self.pixelFormat(for: codec)
        let rate = av_d2q(frameRate, 100_000)
        let base = AVRational(num: timeBase.numerator, den: timeBase.denominator)
        self.timeBase = base
        frameDuration = max(1, av_rescale_q(1, AVRational(num: rate.den, den: rate.num), base))
        let globalHeader = muxer.wantsGlobalHeader
        // MP4 and MOV are written fragmented (a fragment per key frame, a key frame every 2 s):
        // after a crash or SIGKILL everything up to the last fragment still plays, where a plain
        // MP4 without its index at the end would not play at all.
        let fragmented = Self.fragmentedFormats.contains(muxer.formatName)
        let keyframeInterval =
            options.keyframeInterval ?? (fragmented ? max(1, Int((frameRate * Self.fragmentSeconds).rounded())) : nil)
        encoder = try CodecContext(encoder: codec, resource: path, options: options.privateOptions(forEncoder: name)) {
            context in
            context.pointee.width = Int32(width)
            context.pointee.height = Int32(height)
            context.pointee.pix_fmt = pixelFormat
            context.pointee.time_base = base
            context.pointee.framerate = rate
            context.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
            // What the pictures are in: swscale's default RGB->YUV matrix and range for RGB pictures,
            // the source's for planes passed on (`colors`); tagged so players convert back alike.
            // An encoder without 4:2:0 planes gets every picture through RGB and swscale.
            let tags = pixelFormat == AV_PIX_FMT_YUV420P ? colors : VideoColorTags()
            context.pointee.colorspace = AVColorSpace(rawValue: UInt32(clamping: tags.matrixCode))
            context.pointee.color_range = tags.fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
            context.pointee.bit_rate = 0  // constant quality (crf), no bit-rate target
            context.pointee.thread_count = 0  // let the encoder choose
            if let gop = keyframeInterval { context.pointee.gop_size = Int32(clamping: gop) }
            // A fragmented file has no edit list to hide the B-frame delay: without B-frames the
            // first picture stays at time 0 (and pictures reach the file sooner).
            if fragmented { context.pointee.max_b_frames = 0 }
            if globalHeader { context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        }
        self.pixelFormat = pixelFormat
        packet = try Packet(resource: path)
        streamIndex = try muxer.addStream()
        let stream = muxer.stream(streamIndex)
        self.logger = logger
        if let audioSource {
            (audio, audioStreamsSkipped) = Self.openAudio(audioSource, muxer: muxer, output: path, logger: logger)
        } else {
            (audio, audioStreamsSkipped) = (nil, [])
        }
        try avCall("avcodec_parameters_from_context", resource: path) {
            avcodec_parameters_from_context(stream.pointee.codecpar, encoder.pointer)
        }
        stream.pointee.time_base = base  // a hint: the muxer may choose another (Matroska: 1/1000)
        stream.pointee.avg_frame_rate = rate
        // Each packet goes to the file as soon as it is muxed (flush_packets), so a fragment (a
        // Matroska cluster, begun at each key frame) is on disk once it is complete, not left in
        // the file buffer when the process is killed.
        try muxer.open(
            options: fragmented
                ? [("movflags", "+frag_keyframe+empty_moov+default_base_moof"), ("flush_packets", "1")]
                : [("flush_packets", "1")])
        minimumStep = max(1, av_rescale_q_rnd(1, muxer.stream(streamIndex).pointee.time_base, base, AV_ROUND_UP))
        finished = false
    }

    deinit { try? finish() }

    /// Containers written as fragments (libavformat's names).
    static let fragmentedFormats: Set<String> = ["mp4", "mov"]
    /// Seconds between key frames, and so between fragments, in fragmented files: at most this
    /// much video is lost when the process is killed.
    static let fragmentSeconds = 2.0

    /// yuv420p when the encoder takes it, else the encoder's first format.
    private static func pixelFormat(for codec: UnsafePointer<AVCodec>) -> AVPixelFormat {
        guard let formats = codec.pointee.pix_fmts else { return AV_PIX_FMT_YUV420P }
        var index = 0
        while formats[index] != AV_PIX_FMT_NONE {
            if formats[index] == AV_PIX_FMT_YUV420P { return AV_PIX_FMT_YUV420P }
            index += 1
        }
        return formats[0] == AV_PIX_FMT_NONE ? AV_PIX_FMT_YUV420P : formats[0]
    }
}
