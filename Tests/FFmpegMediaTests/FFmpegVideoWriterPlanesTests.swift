import FFmpegMedia
import Foundation
import TestSupport
import Testing
import VideoCore

/// 4:2:0 planes written by `FFmpegVideoWriter` without conversion: decoded again byte for byte
/// (x264 at CRF 0 is lossless) and tagged with the planes' matrix and range.
@Suite struct FFmpegVideoWriterPlanesTests {
    /// A 64x48 picture whose samples depend on the frame index, position and plane.
    static func picture(_ index: Int, matrixCode: Int, fullRange: Bool) -> YUV420Picture {
        let (w, h) = (64, 48)
        let luma = (0..<(w * h)).map { UInt8(truncatingIfNeeded: 16 + ($0 % w) * 3 + ($0 / w) + index * 5) }
        let blue = (0..<(w * h / 4)).map { UInt8(truncatingIfNeeded: 60 + ($0 % (w / 2)) * 2 + index) }
        let red = (0..<(w * h / 4)).map { UInt8(truncatingIfNeeded: 200 - ($0 / (w / 2)) * 3 - index) }
        let coefficients =
            fullRange
            ? YUVToRGBCoefficients(
                yOffset: 0, yScale: 8192, vToRed: 11485, vToGreen: -5850, uToGreen: -2819, uToBlue: 14516)
            : YUVToRGBCoefficients(
                yOffset: 8192, yScale: 9539, vToRed: 13075, vToGreen: -6660, uToGreen: -3209, uToBlue: 16525)
        return YUV420Picture(
            width: w, height: h, luma: luma, blueDifference: blue, redDifference: red, coefficients: coefficients,
            matrixCode: matrixCode)
    }

    @Test(arguments: [(1, false, "bt709", "tv"), (6, false, "smpte170m", "tv"), (5, true, "bt470bg", "pc")])
    func planesComeBackUnchangedAndTagged(matrixCode: Int, fullRange: Bool, space: String, range: String) throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-writer-planes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("planes.mkv").path
        let pictures = (0..<5).map { Self.picture($0, matrixCode: matrixCode, fullRange: fullRange) }
        let writer = try FFmpegVideoWriter(
            path: path, width: 64, height: 48, frameRate: 10, options: VideoEncoderOptions(crf: 0),
            colors: VideoColorTags(of: pictures[0]))
        for (index, picture) in pictures.enumerated() { try writer.write(picture, pts: Double(index) / 10) }
        try writer.finish()
        #expect(writer.framesWritten == 5)

        let raw = folder.appendingPathComponent("planes.yuv").path
        // The decoder's own planes, with no conversion (no -pix_fmt: a range change would convert).
        try VideoFixtures.ffmpeg(["-i", path, "-f", "rawvideo", raw])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: raw)))
        let expected = pictures.flatMap { $0.luma + $0.blueDifference + $0.redDifference }
        #expect(bytes.count == expected.count)
        let firstDifference = zip(bytes, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first different byte at \(firstDifference ?? -1)")
        let tags = try VideoFixtures.run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=color_space,color_range", "-of",
                "csv=p=0", path,
            ])
        #expect(tags.trimmingCharacters(in: .whitespacesAndNewlines) == "\(range),\(space)")
    }
}
