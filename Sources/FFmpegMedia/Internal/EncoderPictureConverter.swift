internal import CFFmpeg
import VideoCore

/// Converts packed RGB24 pictures to the encoder's pixel format (usually yuv420p, BT.601 limited
/// range) with libswscale; the reverse of `RGBConverter`. Owns its `SwsContext` (freed in `deinit`),
/// a padded RGB staging frame and the target frame handed to the encoder.
final class EncoderPictureConverter {
    /// Bilinear chroma downsampling, accurate rounding, bit-exact.
    static let flags = Int32(SWS_BILINEAR | SWS_ACCURATE_RND | SWS_BITEXACT)

    private let context: OpaquePointer
    let width: Int
    let height: Int
    private let resource: String
    /// RGB24 rows copied here first: swscale may read whole SIMD blocks past a packed row's end.
    private let staging: Frame
    /// The converted picture; reused for every frame (made writable again before each use).
    let target: Frame

    init(width: Int, height: Int, to format: AVPixelFormat, resource: String) throws(FFmpegError) {
        guard
            let context = sws_getContext(
                Int32(width), Int32(height), AV_PIX_FMT_RGB24, Int32(width), Int32(height), format,
                Self.flags, nil, nil, nil)
        else {
            let name = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "format \(format.rawValue)"
            throw FFmpegError(
                kind: .unsupported, operation: "sws_getContext", resource: resource,
                message: "cannot convert rgb24 to \(name)")
        }
        self.context = context
        self.width = width
        self.height = height
        self.resource = resource
        staging = try Self.allocate(width, height, AV_PIX_FMT_RGB24, resource)
        target = try Self.allocate(width, height, format, resource)
    }

    deinit { sws_freeContext(context) }

    private static func allocate(_ width: Int, _ height: Int, _ format: AVPixelFormat, _ resource: String)
        throws(FFmpegError) -> Frame
    {
        let frame = try Frame(resource: resource)
        frame.pointer.pointee.width = Int32(width)
        frame.pointer.pointee.height = Int32(height)
        frame.pointer.pointee.format = format.rawValue
        try avCall("av_frame_get_buffer", resource: resource) { av_frame_get_buffer(frame.pointer, 64) }
        return frame
    }

    /// Converts `image` (of this converter's size) into `target` and returns it.
    func convert(_ image: RGBImage) throws(FFmpegError) -> Frame {
        precondition(image.width == width && image.height == height, "EncoderPictureConverter: size mismatch")
        // The encoder may still hold a reference to the previous picture: get our own buffer then.
        try avCall("av_frame_make_writable", resource: resource) { av_frame_make_writable(target.pointer) }
        let stride = Int(staging.pointer.pointee.linesize.0)
        let base = staging.pointer.pointee.data.0!
        image.pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<height {
                (base + row * stride).update(
                    from: pixels.baseAddress! + row * image.bytesPerRow, count: image.bytesPerRow)
            }
        }
        let source = staging.pointer
        let converted = scaleFrames(context, from: source, to: target.pointer, rows: height)
        try avCall("sws_scale", resource: resource) { converted }
        return target
    }
}
