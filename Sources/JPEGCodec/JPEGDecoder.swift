internal import CLibJPEG
import VideoCore

/// Decodes JPEG bytes to 8-bit RGB with libjpeg-turbo, exactly as OpenCV's `imread` does
/// (libjpeg defaults: islow IDCT, fancy upsampling; grey replicated to RGB; CMYK converted as OpenCV does).
///
/// Stateless and thread-safe: every call owns its own libjpeg decompressor. Truncated or corrupt
/// streams throw instead of returning a partly grey picture. EXIF orientation is not applied.
public enum JPEGDecoder {
    /// Largest picture accepted, in pixels (width x height): 200 megapixels, 600 MB of RGB.
    /// Checked from the header before anything is allocated.
    public static let maximumPixelCount = 200_000_000

    /// Decodes a complete JPEG file held in memory.
    ///
    /// Cost: one full decode plus a header pre-read; allocates the `width * height * 3` byte result.
    public static func decode(_ bytes: [UInt8]) throws(ImageDecodingError) -> RGBImage {
        guard !bytes.isEmpty else {
            throw ImageDecodingError(code: .emptyInput, operation: "jpeg_read_header", message: "no bytes to decode")
        }
        let header = try readHeader(bytes)
        let width = Int(header.width)
        let height = Int(header.height)
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).partialValue <= maximumPixelCount
        else {
            throw ImageDecodingError(
                code: .tooLarge, operation: "jpeg_read_header",
                message: "\(width)x\(height) pixels exceed the limit of \(maximumPixelCount)")
        }
        let byteCount = width * height * 3
        var info = clibjpeg_info()
        let capacity = Int(CLIBJPEG_MESSAGE_CAPACITY)
        var message = [CChar](repeating: 0, count: capacity)
        var status = CLIBJPEG_OK
        let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            status = bytes.withUnsafeBufferPointer { input in
                clibjpeg_decode_rgb(
                    input.baseAddress, input.count, buffer.baseAddress, byteCount, &info, &message, capacity)
            }
            // On failure the bytes are partly written; zero them so the array is never uninitialised.
            if status != CLIBJPEG_OK { buffer.initialize(repeating: 0) }
            initialized = byteCount
        }
        guard status == CLIBJPEG_OK else {
            throw error(status, operation: "jpeg_decode", info: info, message: message)
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private static func readHeader(_ bytes: [UInt8]) throws(ImageDecodingError) -> clibjpeg_info {
        var info = clibjpeg_info()
        let capacity = Int(CLIBJPEG_MESSAGE_CAPACITY)
        var message = [CChar](repeating: 0, count: capacity)
        let status = bytes.withUnsafeBufferPointer { input in
            clibjpeg_read_info(input.baseAddress, input.count, &info, &message, capacity)
        }
        guard status == CLIBJPEG_OK else {
            throw error(status, operation: "jpeg_read_header", info: info, message: message)
        }
        return info
    }

    private static func error(
        _ status: clibjpeg_status, operation: String, info: clibjpeg_info, message: [CChar]
    ) -> ImageDecodingError {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let code: ImageDecodingError.Code =
            switch status {
            case CLIBJPEG_EMPTY_INPUT: .emptyInput
            case CLIBJPEG_CORRUPT_DATA: .corruptData
            case CLIBJPEG_UNSUPPORTED_COLOR: .unsupportedColorSpace
            default: .malformed
            }
        return ImageDecodingError(
            code: code, operation: operation, libraryCode: info.libjpeg_message_code, message: text)
    }
}
