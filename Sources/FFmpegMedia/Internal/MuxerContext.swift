internal import CFFmpeg

/// Owns an output `AVFormatContext` (a muxer) and the file it writes; closes the file and frees the
/// context in `deinit`. The container is chosen from the file name's extension.
final class MuxerContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    let resource: String
    private var fileOpened = false

    /// A muxer for the container the extension of `path` names (`.mp4`, `.mkv`, `.webm`, ...).
    init(path: String) throws(FFmpegError) {
        resource = path
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let result = avformat_alloc_output_context2(&context, nil, nil, path)
        guard result >= 0, let context else {
            throw FFmpegError(
                kind: .unsupported, operation: "avformat_alloc_output_context2", resource: path, code: min(result, 0),
                message: "no container format for this file name (use .mp4, .mkv, .mov or .webm)")
        }
        pointer = context
    }

    deinit {
        if fileOpened { avio_closep(&pointer.pointee.pb) }
        avformat_free_context(pointer)
    }

    /// libavformat's short name of the container, e.g. "mp4", "matroska", "webm".
    var formatName: String { String(cString: pointer.pointee.oformat.pointee.name) }

    /// Whether encoders must put their headers in extradata (MP4, Matroska) instead of in-band.
    var wantsGlobalHeader: Bool { pointer.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    /// Adds a stream; returns its index.
    func addStream() throws(FFmpegError) -> Int32 {
        guard let stream = avformat_new_stream(pointer, nil) else {
            throw FFmpegError(
                kind: .outOfMemory, operation: "avformat_new_stream", resource: resource, message: "out of memory")
        }
        return stream.pointee.index
    }

    /// The stream at `index`.
    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream> { pointer.pointee.streams[Int(index)]! }

    /// Creates the file (unless the format writes none) and writes the container header.
    /// `options`: muxer options such as `movflags`; unknown ones are ignored.
    func open(options: [(String, String)]) throws(FFmpegError) {
        if pointer.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            try avCall("avio_open", resource: resource) { avio_open(&pointer.pointee.pb, resource, AVIO_FLAG_WRITE) }
            fileOpened = true
        }
        var dictionary: OpaquePointer? = nil
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try avCall("avformat_write_header", resource: resource) { avformat_write_header(pointer, &dictionary) }
    }

    /// Hands a packet to the interleaving muxer (which takes its payload: the packet is empty after).
    func write(_ packet: Packet) throws(FFmpegError) {
        try avCall("av_interleaved_write_frame", resource: resource) {
            av_interleaved_write_frame(pointer, packet.pointer)
        }
    }

    /// Writes buffered packets and the container trailer (MP4: the index) and flushes the file.
    func writeTrailer() throws(FFmpegError) {
        try avCall("av_write_trailer", resource: resource) { av_write_trailer(pointer) }
    }
}
