internal import CFFmpeg
import VideoCore

/// Decodes a picture file of any format FFmpeg reads (PNG, BMP, TIFF, WebP, GIF, PPM, JPEG...) to 8-bit RGB.
///
/// libavformat probes the file, libavcodec decodes the first frame of its video stream and libswscale
/// converts it to RGB24 at the same size (no scaling). For JPEG prefer `JPEGDecoder`, which matches the
/// reference decoder bit for bit; FFmpeg's JPEG decoder upsamples chroma differently.
/// Stateless and thread-safe: each call owns its FFmpeg objects.
public enum FFmpegImageDecoder {
    /// Largest picture accepted, in pixels.
    public static let maximumPixelCount = 200_000_000

    /// Decodes the first picture of the file at `path`.
    public static func decode(contentsOf path: String) throws(FFmpegError) -> RGBImage {
        try FFmpegLibrary.ensureLoaded()
        let input = try FormatContext(path: path)
        let stream = try input.bestVideoStream()
        let decoder = try CodecContext(
            decoder: stream.decoder, parameters: input.parameters(ofStream: stream.index), resource: path,
            threads: 1)  // one picture: threads only add start-up cost
        let packet = try Packet(resource: path)
        let frame = try Frame(resource: path)
        var flushed = false
        while true {
            if try decoder.receive(into: frame) { break }
            if flushed {
                throw FFmpegError(
                    kind: .noPicture, operation: "avcodec_receive_frame", resource: path,
                    message: "the file holds no decodable picture")
            }
            if try input.read(into: packet) {
                defer { packet.unreference() }
                if packet.streamIndex == stream.index { _ = try decoder.send(packet) }
            } else {
                _ = try decoder.send(nil)
                flushed = true
            }
        }
        let (width, height) = (frame.width, frame.height)
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).partialValue <= maximumPixelCount
        else {
            throw FFmpegError(
                kind: .invalidSize, operation: "avcodec_receive_frame", resource: path,
                message: "picture of \(width)x\(height) pixels")
        }
        let converter = try RGBConverter(width: width, height: height, from: frame.pixelFormat, resource: path)
        return try converter.convert(frame)
    }
}
