internal import CFFmpeg
import VideoCore

/// Hands out decoded yuv420p frames as `YUV420Picture`s (planes copied, no RGB conversion) when
/// `YUV420Picture`'s conversion equals the stream's swscale conversion: the matrix is read from
/// the `RGBConverter`'s context and the first frame is converted both ways and compared byte for
/// byte. Otherwise `picture(from:)` returns nil and the caller converts with swscale.
final class YUV420Extractor {
    private let coefficients: YUVToRGBCoefficients?
    private var verified: Bool?

    /// An extractor for frames the converter serves; nil coefficients when the format or size is
    /// not 8-bit 4:2:0 of even size, or the converter's matrix cannot be read.
    init(converter: RGBConverter) {
        if converter.format == AV_PIX_FMT_YUV420P,
            YUV420Picture.supports(width: converter.width, height: converter.height)
        {
            coefficients = converter.fullChromaCoefficients()
        } else {
            coefficients = nil
        }
    }

    /// The frame's planes, or nil when the caller must convert with swscale.
    func picture(from frame: Frame, converter: RGBConverter) throws(FFmpegError) -> YUV420Picture? {
        guard let coefficients, verified != false else { return nil }
        let picture = copy(frame, coefficients: coefficients)
        if verified == nil {
            verified = try Self.convertsAlike(picture, frame, converter)
            if verified == false { return nil }
        }
        return picture
    }

    /// Whether swscale converts `frame` to the same bytes as `picture` does, row by row (no
    /// full-size copies); frees the converter's target afterwards when they agree.
    private static func convertsAlike(
        _ picture: YUV420Picture, _ frame: Frame, _ converter: RGBConverter
    ) throws(FFmpegError) -> Bool {
        let columns = Array(0..<picture.width)
        var ours = [UInt8](repeating: 0, count: picture.width * 3)
        var same = true
        try converter.convertRows(frame) { row, theirs in
            guard same else { return }
            ours.withUnsafeMutableBufferPointer { picture.sampleRGB(rows: row..<row + 1, columns: columns, into: $0) }
            same = ours.elementsEqual(theirs)
        }
        if same { converter.releaseTarget() }
        return same
    }

    private func copy(_ frame: Frame, coefficients: YUVToRGBCoefficients) -> YUV420Picture {
        let raw = frame.pointer.pointee
        let (width, height) = (frame.width, frame.height)
        return YUV420Picture(
            width: width, height: height,
            luma: Self.plane(raw.data.0!, stride: Int(raw.linesize.0), width: width, height: height),
            blueDifference: Self.plane(raw.data.1!, stride: Int(raw.linesize.1), width: width / 2, height: height / 2),
            redDifference: Self.plane(raw.data.2!, stride: Int(raw.linesize.2), width: width / 2, height: height / 2),
            coefficients: coefficients)
    }

    private static func plane(_ base: UnsafeMutablePointer<UInt8>, stride: Int, width: Int, height: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: width * height) { buffer, initialized in
            for row in 0..<height {
                (buffer.baseAddress! + row * width).update(from: base + row * stride, count: width)
            }
            initialized = width * height
        }
    }
}
