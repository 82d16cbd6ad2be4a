internal import CLibJPEG
import VideoCore

/// Encodes RGB pictures as JPEG files with libjpeg-turbo (baseline JFIF, 4:2:0 chroma, optimised
/// Huffman tables): the snapshots of tracks.
///
/// Stateless and thread-safe: every call owns its own libjpeg compressor. A 4:2:0 video picture
/// is converted to RGB first (`YUV420Picture.sampleRGB`) rather than handed to libjpeg as planes:
/// video planes are usually limited-range BT.601/709 while JFIF's are full-range BT.601, so the
/// planes would have to be converted anyway.
public enum JPEGEncoder {
    /// The quality snapshots use unless told otherwise (libjpeg's scale, 1...100).
    public static let defaultQuality = 90
    /// Largest width or height a JPEG file can describe (libjpeg's `JPEG_MAX_DIMENSION`).
    public static let maximumSide = 65_500

    /// The JPEG file of `image` at `quality` (1...100).
    ///
    /// Cost: one full encode (about 5 ms for a 1-megapixel picture); allocates the result and
    /// libjpeg's working memory for the call.
    public static func encode(_ image: RGBImage, quality: Int = defaultQuality) throws(ImageDecodingError) -> [UInt8] {
        guard image.width <= maximumSide, image.height <= maximumSide, (1...100).contains(quality) else {
            throw ImageDecodingError(
                code: .encodingFailed, operation: "jpeg_encode",
                message: "\(image.width)x\(image.height) at quality \(quality) is outside 65500x65500 and 1...100")
        }
        let capacity = Int(CLIBJPEG_MESSAGE_CAPACITY)
        var message = [CChar](repeating: 0, count: capacity)
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = image.pixels.withUnsafeBufferPointer { rgb in
            clibjpeg_encode_rgb(
                rgb.baseAddress, Int32(image.width), Int32(image.height), image.bytesPerRow, Int32(quality), &output,
                &size, &message, capacity)
        }
        // `output` is libjpeg's malloc'd buffer: copied into the array, then freed here, once.
        defer { clibjpeg_free(output) }
        guard status == CLIBJPEG_OK, let output else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageDecodingError(code: .encodingFailed, operation: "jpeg_encode", message: text)
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
