internal import CFFmpeg
import VideoCore

/// Converts a decoded frame of any pixel format to packed RGB24 of the same size with libswscale
/// (`SwsContext`, freed in `deinit`). No scaling happens; accurate rounding, bit-exact mode.
final class RGBConverter {
    private let context: OpaquePointer
    private let width: Int
    private let height: Int
    private let resource: String

    init(width: Int, height: Int, from format: AVPixelFormat, resource: String) throws(FFmpegError) {
        guard
            let context = sws_getContext(
                Int32(width), Int32(height), format, Int32(width), Int32(height), AV_PIX_FMT_RGB24,
                Int32(SWS_POINT | SWS_ACCURATE_RND | SWS_BITEXACT | SWS_FULL_CHR_H_INT), nil, nil, nil)
        else {
            let name = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "format \(format.rawValue)"
            throw FFmpegError(kind: .unsupported, operation: "sws_getContext", resource: resource, message: "cannot convert \(name) to rgb24")
        }
        self.context = context
        self.width = width
        self.height = height
        self.resource = resource
    }

    deinit { sws_freeContext(context) }

    /// Converts `frame` into a new packed RGB picture.
    func convert(_ frame: Frame) throws(FFmpegError) -> RGBImage {
        // swscale may write whole SIMD blocks: convert into an aligned, padded frame, then pack the rows.
        let target = try Frame(resource: resource)
        target.pointer.pointee.width = Int32(width)
        target.pointer.pointee.height = Int32(height)
        target.pointer.pointee.format = AV_PIX_FMT_RGB24.rawValue
        try avCall("av_frame_get_buffer", resource: resource) { av_frame_get_buffer(target.pointer, 64) }
        let source = frame.pointer
        let converted = withUnsafePointer(to: &source.pointee.data) { sourceData in
            withUnsafePointer(to: &source.pointee.linesize) { sourceStrides in
                withUnsafePointer(to: &target.pointer.pointee.data) { targetData in
                    withUnsafePointer(to: &target.pointer.pointee.linesize) { targetStrides in
                        sws_scale(
                            context,
                            UnsafeRawPointer(sourceData).assumingMemoryBound(to: UnsafePointer<UInt8>?.self),
                            UnsafeRawPointer(sourceStrides).assumingMemoryBound(to: Int32.self), 0, Int32(height),
                            UnsafeRawPointer(targetData).assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self),
                            UnsafeRawPointer(targetStrides).assumingMemoryBound(to: Int32.self))
                    }
                }
            }
        }
        try avCall("sws_scale", resource: resource) { converted }
        guard converted == Int32(height) else {
            throw FFmpegError(kind: .other, operation: "sws_scale", resource: resource, message: "converted \(converted) of \(height) rows")
        }
        let rowBytes = width * 3
        let stride = Int(target.pointer.pointee.linesize.0)
        let base = target.pointer.pointee.data.0!
        let pixels = [UInt8](unsafeUninitializedCapacity: rowBytes * height) { buffer, initialized in
            for row in 0..<height {
                (buffer.baseAddress! + row * rowBytes).update(from: base + row * stride, count: rowBytes)
            }
            initialized = rowBytes * height
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
