internal import CFFmpeg

/// Owns an `AVFrame`; frees it in `deinit`.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init(resource: String) throws(FFmpegError) {
        guard let frame = av_frame_alloc() else {
            throw FFmpegError(
                kind: .outOfMemory, operation: "av_frame_alloc", resource: resource, message: "out of memory")
        }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    var width: Int { Int(pointer.pointee.width) }
    var height: Int { Int(pointer.pointee.height) }
    var pixelFormat: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }
}
