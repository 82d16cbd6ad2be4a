internal import CFFmpeg

extension CodecContext {
    /// Sends a picture to an encoder (nil: flush at the end). The caller drains packets after each
    /// send, so the encoder never answers "try again".
    func send(frame: Frame?) throws(FFmpegError) {
        let result = avcodec_send_frame(pointer, frame?.pointer)
        try avCall("avcodec_send_frame", resource: resource) { result }
    }

    /// Receives an encoded packet; false when none is ready ("not now" or drained).
    func receive(into packet: Packet) throws(FFmpegError) -> Bool {
        let result = avcodec_receive_packet(pointer, packet.pointer)
        if result == AVErrorCode.tryAgain || result == AVErrorCode.endOfFile { return false }
        try avCall("avcodec_receive_packet", resource: resource) { result }
        return true
    }
}
