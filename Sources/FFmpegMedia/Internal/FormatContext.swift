internal import CFFmpeg

/// Owns an opened `AVFormatContext` (demuxer input); closes it in `deinit`.
final class FormatContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    let resource: String
    /// Objects FFmpeg calls into while the context is open (interrupt guard, custom reader); they are
    /// released only after `deinit` has closed the input.
    private let keepAlive: [AnyObject]

    /// Takes ownership of an opened context.
    init(opened: UnsafeMutablePointer<AVFormatContext>, resource: String, keepAlive: [AnyObject]) {
        pointer = opened
        self.resource = resource
        self.keepAlive = keepAlive
    }

    /// Opens and probes `path` (`avformat_open_input` + `avformat_find_stream_info`).
    init(path: String) throws(FFmpegError) {
        resource = path
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        // The image2 demuxer would read "%d" in a file name as a sequence pattern: take names literally.
        var options: OpaquePointer? = nil
        av_dict_set(&options, "pattern_type", "none", 0)
        defer { av_dict_free(&options) }
        try avCall("avformat_open_input", resource: path) { avformat_open_input(&context, path, nil, &options) }
        guard let context else {
            throw FFmpegError(
                kind: .other, operation: "avformat_open_input", resource: path, message: "no context returned")
        }
        pointer = context
        keepAlive = []
        try avCall("avformat_find_stream_info", resource: path) { avformat_find_stream_info(context, nil) }
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&context)
    }

    /// The best video stream's index and its decoder.
    func bestVideoStream() throws(FFmpegError) -> (index: Int32, decoder: UnsafePointer<AVCodec>) {
        var decoder: UnsafePointer<AVCodec>? = nil
        let found = av_find_best_stream(pointer, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        if found == AVErrorCode.streamNotFound {
            // Tell a file that really has no picture from one whose picture stream is damaged.
            let types = (0..<Int(pointer.pointee.nb_streams)).compactMap {
                pointer.pointee.streams[$0]?.pointee.codecpar?.pointee.codec_type
            }
            let message =
                if types.contains(AVMEDIA_TYPE_VIDEO) {
                    "its video stream cannot be used (damaged or incomplete header); check that the file is whole"
                } else if types.contains(AVMEDIA_TYPE_AUDIO) {
                    "holds only audio, no video stream; give a video input"
                } else {
                    "holds no video stream; give a video input"
                }
            throw FFmpegError(
                kind: types.contains(AVMEDIA_TYPE_VIDEO) ? .invalidData : .noPicture, operation: "av_find_best_stream",
                resource: resource, message: message)
        }
        let index = try avCall("av_find_best_stream", resource: resource) { found }
        guard let decoder else {
            throw FFmpegError(
                kind: .unsupported, operation: "av_find_best_stream", resource: resource,
                message: "no decoder for the picture stream")
        }
        return (index, decoder)
    }

    /// The codec parameters of a stream.
    func parameters(ofStream index: Int32) -> UnsafeMutablePointer<AVCodecParameters> {
        pointer.pointee.streams[Int(index)]!.pointee.codecpar
    }

    /// Reads the next packet into `packet`; false at the end of the file.
    func read(into packet: Packet) throws(FFmpegError) -> Bool {
        let result = av_read_frame(pointer, packet.pointer)
        if result == AVErrorCode.endOfFile { return false }
        try avCall("av_read_frame", resource: resource) { result }
        return true
    }
}
