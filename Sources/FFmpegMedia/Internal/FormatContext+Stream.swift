internal import CFFmpeg

extension FormatContext {
    /// Opens `url` (a path, a protocol URL, or a name for `reader`'s bytes) with demuxer/protocol
    /// `options`, FFmpeg's blocking I/O checking `interrupt`, and probes its streams.
    ///
    /// The returned context keeps `interrupt` and `reader` alive (see `keepAlive`): FFmpeg calls
    /// into both until `avformat_close_input` in `deinit` has run.
    convenience init(
        url: String, resource: String, options: [(String, String)], interrupt: InterruptGuard, reader: DescriptorReader?
    ) throws(FFmpegError) {
        guard let context = avformat_alloc_context() else {
            throw FFmpegError(
                kind: .outOfMemory, operation: "avformat_alloc_context", resource: resource, message: "out of memory")
        }
        context.pointee.interrupt_callback = interrupt.callback
        if let reader { context.pointee.pb = reader.context }  // sets AVFMT_FLAG_CUSTOM_IO: FFmpeg won't free it
        var dictionary: OpaquePointer? = nil
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        // On failure avformat_open_input frees the context itself (not the custom AVIOContext).
        try avCall("avformat_open_input", resource: resource) { avformat_open_input(&opened, url, nil, &dictionary) }
        guard let opened else {
            throw FFmpegError(
                kind: .other, operation: "avformat_open_input", resource: resource, message: "no context returned")
        }
        self.init(opened: opened, resource: resource, keepAlive: [interrupt] + (reader.map { [$0] } ?? []))
        try avCall("avformat_find_stream_info", resource: resource) { avformat_find_stream_info(opened, nil) }
    }

    /// The stream at `index`.
    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream> {
        pointer.pointee.streams[Int(index)]!
    }
}
