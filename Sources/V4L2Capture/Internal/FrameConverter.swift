import JPEGCodec
import VideoCore

/// Turns the bytes of one captured buffer into RGB for the negotiated format.
struct FrameConverter {
    let format: NegotiatedFormat

    func convert(_ bytes: [UInt8]) throws(FrameConversionError) -> RGBImage {
        switch format.pixelFormat {
        case .yuyv:
            return try YUYVConverter.rgb(
                from: bytes, width: format.width, height: format.height, bytesPerRow: format.bytesPerRow)
        case .mjpeg, .jpeg:
            let image: RGBImage
            do { image = try JPEGDecoder.decode(bytes) } catch {
                throw FrameConversionError(message: "corrupt \(format.pixelFormat.name) frame: \(error.message)")
            }
            return image
        case .rgb24:
            let rowBytes = format.width * 3
            let needed = format.bytesPerRow * (format.height - 1) + rowBytes
            guard bytes.count >= needed else {
                throw FrameConversionError(message: "RGB3 frame needs \(needed) bytes, the buffer holds \(bytes.count)")
            }
            if format.bytesPerRow == rowBytes {
                return RGBImage(
                    width: format.width, height: format.height, pixels: Array(bytes[0..<(rowBytes * format.height)]))
            }
            var pixels: [UInt8] = []
            pixels.reserveCapacity(rowBytes * format.height)
            for row in 0..<format.height {
                pixels += bytes[(row * format.bytesPerRow)..<(row * format.bytesPerRow + rowBytes)]
            }
            return RGBImage(width: format.width, height: format.height, pixels: pixels)
        default:
            throw FrameConversionError(message: "cannot convert \(format.pixelFormat.name) frames")
        }
    }
}
