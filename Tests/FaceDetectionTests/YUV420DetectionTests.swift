import FaceDetection
import Foundation
import JPEGCodec
import TestSupport
import Testing
import VideoCore

/// The 4:2:0 path (convert only the pixels the resize reads) against converting the whole picture
/// first: same tensor, same detections.
@Suite struct YUV420DetectionTests {
    /// Planes made from a shared photo (any planes will do: the claim is equality of the two paths),
    /// cropped to even sizes, with BT.601 limited-range coefficients as swscale derives them.
    static func picture(fromPhoto name: String) throws -> YUV420Picture {
        let data = try Data(contentsOf: SharedData.root.appendingPathComponent("images/imgs/\(name)"))
        let rgb = try JPEGDecoder.decode([UInt8](data))
        let (width, height) = (rgb.width & ~1, rgb.height & ~1)
        var luma = [UInt8](repeating: 0, count: width * height)
        var blue = [UInt8](repeating: 0, count: width * height / 4)
        var red = blue
        for y in 0..<height {
            for x in 0..<width {
                let offset = (y * rgb.width + x) * 3
                let (r, g, b) = (Int(rgb.pixels[offset]), Int(rgb.pixels[offset + 1]), Int(rgb.pixels[offset + 2]))
                luma[y * width + x] = UInt8(clamping: 16 + (66 * r + 129 * g + 25 * b + 128) >> 8)
                if x % 2 == 0, y % 2 == 0 {
                    let chroma = (y / 2) * (width / 2) + x / 2
                    blue[chroma] = UInt8(clamping: 128 + (-38 * r - 74 * g + 112 * b + 128) >> 8)
                    red[chroma] = UInt8(clamping: 128 + (112 * r - 94 * g - 18 * b + 128) >> 8)
                }
            }
        }
        let coefficients = YUVToRGBCoefficients(
            yOffset: 8192, yScale: 9539, vToRed: 13075, vToGreen: -6660, uToGreen: -3209, uToBlue: 16525)
        return YUV420Picture(
            width: width, height: height, luma: luma, blueDifference: blue, redDifference: red,
            coefficients: coefficients)
    }

    @Test(arguments: ["17.jpg", "1.jpg"])
    func tensorFromPlanesEqualsTensorFromTheirRGB(photo: String) throws {
        let picture = try Self.picture(fromPhoto: photo)
        let image = picture.rgbImage()
        var fromPlanes = InputTensorBuilder(width: 320, height: 240)
        var fromRGB = InputTensorBuilder(width: 320, height: 240)
        var planesTensor = [Float](repeating: .nan, count: fromPlanes.elementCount)
        var rgbTensor = [Float](repeating: 0, count: fromRGB.elementCount)
        for _ in 0..<2 {  // the second round reuses the builder's plan and compact buffer
            planesTensor.withUnsafeMutableBufferPointer { fromPlanes.fill($0, from: picture) }
            fromRGB.fill(&rgbTensor, from: image)
            #expect(planesTensor == rgbTensor)
        }
    }

    @Test func detectionsFromPlanesEqualDetectionsFromTheirRGB() throws {
        let loaded = try CompiledFaceModel.load("RFB-320")
        let detector = FaceDetector(model: loaded.model, layout: loaded.layout)
        let picture = try Self.picture(fromPhoto: "17.jpg")
        let fromPlanes = try detector.detect(in: .yuv420(picture))
        let fromRGB = try detector.detect(in: picture.rgbImage())
        #expect(!fromRGB.isEmpty)
        #expect(fromPlanes == fromRGB)
    }

    @Test func sampledPixelsAreThoseOfTheWholeConversion() {
        var state: UInt32 = 12345
        func noise(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state = state &* 1_664_525 &+ 1_013_904_223
                return UInt8(truncatingIfNeeded: state >> 24)
            }
        }
        let (width, height) = (34, 20)
        let picture = YUV420Picture(
            width: width, height: height, luma: noise(width * height), blueDifference: noise(width * height / 4),
            redDifference: noise(width * height / 4),
            coefficients: YUVToRGBCoefficients(
                yOffset: 8192, yScale: 9539, vToRed: 13075, vToGreen: -6660, uToGreen: -3209, uToBlue: 16525))
        let whole = picture.rgbImage()
        let rows = [0, 1, 7, 18, 19]
        let columns = [0, 3, 4, 32, 33]
        var samples = [UInt8](repeating: 0, count: rows.count * columns.count * 3)
        samples.withUnsafeMutableBufferPointer { picture.sampleRGB(rows: rows, columns: columns, into: $0) }
        for (i, row) in rows.enumerated() {
            for (j, column) in columns.enumerated() {
                let sample = (i * columns.count + j) * 3
                let pixel = (row * width + column) * 3
                #expect(samples[sample..<sample + 3] == whole.pixels[pixel..<pixel + 3])
            }
        }
    }
}
