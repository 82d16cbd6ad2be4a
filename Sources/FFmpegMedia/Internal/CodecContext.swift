internal import CFFmpeg

/// Owns an opened decoder or encoder (`AVCodecContext`); frees it in `deinit`.
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>
    let resource: String

    /// Allocates, configures from the stream parameters and opens a decoder.
    /// `threads`: 0 lets FFmpeg choose; `sliceThreadsOnly` avoids frame threading's added delay.
    /// `packetTimeBase`: the stream's time base, so frame timestamps are interpreted in it.
    init(
        decoder: UnsafePointer<AVCodec>, parameters: UnsafePointer<AVCodecParameters>, resource: String,
        threads: Int = 1, sliceThreadsOnly: Bool = false, packetTimeBase: AVRational? = nil
    ) throws(FFmpegError) {
        self.resource = resource
        guard let context = avcodec_alloc_context3(decoder) else {
            throw FFmpegError(
                kind: .outOfMemory, operation: "avcodec_alloc_context3", resource: resource, message: "out of memory")
        }
        pointer = context
        try avCall("avcodec_parameters_to_context", resource: resource) {
            avcodec_parameters_to_context(context, parameters)
        }
        context.pointee.thread_count = Int32(clamping: threads)
        if sliceThreadsOnly { context.pointee.thread_type = FF_THREAD_SLICE }
        if let packetTimeBase { context.pointee.pkt_timebase = packetTimeBase }
        try avCall("avcodec_open2", resource: resource) { avcodec_open2(context, decoder, nil) }
    }

    /// Allocates an encoder, lets `configure` set its fields (size, pixel format, time base...) and
    /// opens it with the encoder's private `options` (those it does not know are ignored).
    init(
        encoder: UnsafePointer<AVCodec>, resource: String, options: [(String, String)],
        configure: (UnsafeMutablePointer<AVCodecContext>) -> Void
    ) throws(FFmpegError) {
        self.resource = resource
        guard let context = avcodec_alloc_context3(encoder) else {
            throw FFmpegError(
                kind: .outOfMemory, operation: "avcodec_alloc_context3", resource: resource, message: "out of memory")
        }
        pointer = context
        configure(context)
        var dictionary: OpaquePointer? = nil
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try avCall("avcodec_open2", resource: resource) { avcodec_open2(context, encoder, &dictionary) }
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }

    /// Sends a packet (nil: flush at end of input). Returns false when the decoder wants frames read first.
    func send(_ packet: Packet?) throws(FFmpegError) -> Bool {
        let result = avcodec_send_packet(pointer, packet?.pointer)
        if result == AVErrorCode.tryAgain || result == AVErrorCode.endOfFile { return false }
        try avCall("avcodec_send_packet", resource: resource) { result }
        return true
    }

    /// Receives a decoded frame; false when none is ready ("not now" or drained).
    func receive(into frame: Frame) throws(FFmpegError) -> Bool {
        let result = avcodec_receive_frame(pointer, frame.pointer)
        if result == AVErrorCode.tryAgain || result == AVErrorCode.endOfFile { return false }
        try avCall("avcodec_receive_frame", resource: resource) { result }
        return true
    }
}
