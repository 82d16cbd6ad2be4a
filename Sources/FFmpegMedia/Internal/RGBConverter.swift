internal import CFFmpeg
import VideoCore

/// Converts a decoded frame of any pixel format to packed RGB24 of the same size with libswscale
/// (`SwsContext`, freed in `deinit`). No scaling happens.
///
/// One converter serves every frame of one size and pixel format (`matches`); it reuses its
/// swscale context and its padded target frame across frames.
final class RGBConverter {
    /// Pictures: nearest chroma, accurate rounding, bit-exact (CPU-independent) output.
    static let pictureFlags = Int32(SWS_POINT | SWS_ACCURATE_RND | SWS_BITEXACT | SWS_FULL_CHR_H_INT)
    /// Video: bilinear chroma upsampling at full horizontal resolution, accurate rounding, bit-exact.
    /// Equal byte for byte to `ffmpeg -sws_flags bilinear+accurate_rnd+full_chroma_int+bitexact -pix_fmt rgb24`.
    static let videoFlags = Int32(SWS_BILINEAR | SWS_ACCURATE_RND | SWS_BITEXACT | SWS_FULL_CHR_H_INT)

    private let context: OpaquePointer
    let width: Int
    let height: Int
    let format: AVPixelFormat
    private let resource: String
    /// Padded RGB24 target that swscale writes (it may write whole SIMD blocks past a packed row);
    /// its buffer is allocated on first use and freed by `releaseTarget()`.
    private let target: Frame

    /// A converter for `width`x`height` frames of `format`. `colorspace`/`range`, when the stream
    /// specifies them, choose the YUV matrix and input range (otherwise BT.601, range from the format).
    init(
        width: Int, height: Int, from format: AVPixelFormat, resource: String, flags: Int32 = RGBConverter.pictureFlags,
        colorspace: AVColorSpace = AVCOL_SPC_UNSPECIFIED, range: AVColorRange = AVCOL_RANGE_UNSPECIFIED
    ) throws(FFmpegError) {
        guard
            let context = sws_getContext(
                Int32(width), Int32(height), format, Int32(width), Int32(height), AV_PIX_FMT_RGB24, flags, nil, nil, nil
            )
        else {
            let name = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "format \(format.rawValue)"
            throw FFmpegError(
                kind: .unsupported, operation: "sws_getContext", resource: resource,
                message: "cannot convert \(name) to rgb24")
        }
        self.context = context
        self.width = width
        self.height = height
        self.format = format
        self.resource = resource
        target = try Frame(resource: resource)
        if colorspace != AVCOL_SPC_UNSPECIFIED || range == AVCOL_RANGE_JPEG { applyColorDetails(colorspace, range) }
    }

    deinit { sws_freeContext(context) }

    /// Whether this converter serves frames of this size and format.
    func matches(_ frame: Frame) -> Bool {
        frame.width == width && frame.height == height && frame.pixelFormat == format
    }

    /// Sets the YUV->RGB matrix and input range the stream declares (output is full-range RGB).
    private func applyColorDetails(_ colorspace: AVColorSpace, _ range: AVColorRange) {
        // Both calls fail when the source is not YUV: there is no matrix to choose then.
        guard var details = ColorspaceDetails(context) else { return }
        // AVColorSpace values are the SWS_CS_* numbers; unknown ones give swscale's default (BT.601).
        let coefficients =
            colorspace != AVCOL_SPC_UNSPECIFIED
            ? sws_getCoefficients(Int32(colorspace.rawValue)) : UnsafePointer(details.inverse)
        if range == AVCOL_RANGE_JPEG { details.sourceRange = 1 }
        guard let coefficients, let table = details.table else { return }
        _ = sws_setColorspaceDetails(
            context, coefficients, details.sourceRange, table, details.targetRange, details.brightness,
            details.contrast, details.saturation)
    }

    /// The 16-bit matrix swscale's full-chroma RGB writer uses for this context (its
    /// `yuv2rgb_*` coefficients, derived the way `sws_setColorspaceDetails` derives them from the
    /// inverse table, range, brightness, contrast and saturation); nil for RGB sources.
    func fullChromaCoefficients() -> YUVToRGBCoefficients? {
        guard let details = ColorspaceDetails(context), let inverse = details.inverse else { return nil }
        let (sourceRange, brightness, contrast, saturation) =
            (details.sourceRange, details.brightness, details.contrast, details.saturation)
        var redFromV = Int64(inverse[0])
        var blueFromU = Int64(inverse[1])
        var greenFromU = -Int64(inverse[2])
        var greenFromV = -Int64(inverse[3])
        var lumaScale: Int64 = 1 << 16
        var lumaOffset: Int64 = 0
        if sourceRange == 0 {
            lumaScale = lumaScale * 255 / 219
            lumaOffset = 16 << 16
        } else {
            redFromV = redFromV * 224 / 255
            blueFromU = blueFromU * 224 / 255
            greenFromU = greenFromU * 224 / 255
            greenFromV = greenFromV * 224 / 255
        }
        let gain = Int64(contrast)
        let colour = Int64(contrast) * Int64(saturation)
        lumaScale = (lumaScale * gain) >> 16
        redFromV = (redFromV * colour) >> 32
        blueFromU = (blueFromU * colour) >> 32
        greenFromU = (greenFromU * colour) >> 32
        greenFromV = (greenFromV * colour) >> 32
        lumaOffset -= 256 * Int64(brightness)
        func int16(_ value: Int64) -> Int32 { Int32(min(max((value + (1 << 15)) >> 16, -0x8000), 0x7FFF)) }
        return YUVToRGBCoefficients(
            yOffset: int16(lumaOffset << 9), yScale: int16(lumaScale << 13), vToRed: int16(redFromV << 13),
            vToGreen: int16(greenFromV << 13), uToGreen: int16(greenFromU << 13), uToBlue: int16(blueFromU << 13))
    }

    /// Converts `frame` into a new packed RGB picture.
    func convert(_ frame: Frame) throws(FFmpegError) -> RGBImage {
        let rowBytes = width * 3
        var pixels = [UInt8](repeating: 0, count: rowBytes * height)
        try pixels.withUnsafeMutableBufferPointer { (output) throws(FFmpegError) in
            try convertRows(frame) { row, bytes in
                (output.baseAddress! + row * rowBytes).update(from: bytes.baseAddress!, count: rowBytes)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Frees the target's buffer (6 MB at 1080p) until the next conversion.
    func releaseTarget() {
        av_frame_unref(target.pointer)
    }

    /// Converts `frame` into the target and hands its packed rows, top to bottom, to `body`
    /// (`width * 3` bytes each, valid only during the call).
    func convertRows(_ frame: Frame, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) throws(FFmpegError) {
        if target.pointer.pointee.data.0 == nil {
            target.pointer.pointee.width = Int32(width)
            target.pointer.pointee.height = Int32(height)
            target.pointer.pointee.format = AV_PIX_FMT_RGB24.rawValue
            try avCall("av_frame_get_buffer", resource: resource) { av_frame_get_buffer(target.pointer, 64) }
        }
        let source = frame.pointer
        let converted = scaleFrames(context, from: source, to: target.pointer, rows: height)
        try avCall("sws_scale", resource: resource) { converted }
        guard converted == Int32(height) else {
            throw FFmpegError(
                kind: .other, operation: "sws_scale", resource: resource,
                message: "converted \(converted) of \(height) rows")
        }
        let stride = Int(target.pointer.pointee.linesize.0)
        let base = target.pointer.pointee.data.0!
        for row in 0..<height {
            body(row, UnsafeBufferPointer(start: base + row * stride, count: width * 3))
        }
    }
}

/// What `sws_getColorspaceDetails` reports for a context, read in one place.
///
/// Lifetime: `inverse` and `table` point into swscale's context (or its static tables); they are
/// valid while the context lives and must not be freed.
private struct ColorspaceDetails {
    var inverse: UnsafeMutablePointer<Int32>?
    var table: UnsafeMutablePointer<Int32>?
    var sourceRange: Int32 = 0
    var targetRange: Int32 = 0
    var brightness: Int32 = 0
    var contrast: Int32 = 0
    var saturation: Int32 = 0

    /// nil when swscale has no YUV matrix for this context (an RGB source).
    init?(_ context: OpaquePointer) {
        guard
            sws_getColorspaceDetails(
                context, &inverse, &sourceRange, &table, &targetRange, &brightness, &contrast, &saturation) >= 0
        else { return nil }
    }
}
