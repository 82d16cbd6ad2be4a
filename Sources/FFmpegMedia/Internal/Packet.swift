internal import CFFmpeg

/// Owns an `AVPacket`; frees it in `deinit`.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init(resource: String) throws(FFmpegError) {
        guard let packet = av_packet_alloc() else {
            throw FFmpegError(
                kind: .outOfMemory, operation: "av_packet_alloc", resource: resource, message: "out of memory")
        }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    var streamIndex: Int32 { pointer.pointee.stream_index }

    /// Drops the payload so the packet can be reused.
    func unreference() { av_packet_unref(pointer) }
}
