/// How `FFmpegVideoWriter` encodes pictures.
public struct VideoEncoderOptions: Sendable, Equatable {
    /// FFmpeg encoder name (`ffmpeg -encoders`), e.g. `"libx264"`, `"libvpx-vp9"`. Nil chooses by
    /// container: `libvpx-vp9` for WebM, `libx264` otherwise.
    public var codec: String?
    /// Constant quality (x264: 0...51, lower is better; VP9: 0...63).
    public var crf: Int
    /// Speed/size trade-off for x264 (`ultrafast` ... `veryslow`). VP9 always runs in real-time mode.
    public var preset: String
    /// Frames between key frames; nil keeps the encoder's default.
    public var keyframeInterval: Int?

    /// Options for a viewable annotated video: x264 CRF 23 `veryfast` unless said otherwise.
    public init(codec: String? = nil, crf: Int = 23, preset: String = "veryfast", keyframeInterval: Int? = nil) {
        self.codec = codec
        self.crf = crf
        self.preset = preset
        self.keyframeInterval = keyframeInterval
    }

    /// The encoder to use for a container named `formatName` by libavformat ("mp4", "matroska", "webm").
    func encoderName(forFormat formatName: String) -> String {
        if let codec { return codec }
        return formatName == "webm" ? "libvpx-vp9" : "libx264"
    }

    /// Private options of the encoder `name`, passed to `avcodec_open2`.
    func privateOptions(forEncoder name: String) -> [(String, String)] {
        if name.hasPrefix("libvpx") {
            return [("crf", String(crf)), ("deadline", "realtime"), ("cpu-used", "8"), ("row-mt", "1")]
        }
        if name.hasPrefix("libx264") || name.hasPrefix("libx265") {
            return [("crf", String(crf)), ("preset", preset)]
        }
        return []
    }
}
