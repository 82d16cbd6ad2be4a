import FaceDetection
import Foundation
import TestSupport
import Testing
import VideoCore

/// The sampled path (a source hands out only the pixels of the detector's grid) against the whole
/// picture: same tensor, same detections.
@Suite struct SampledDetectionTests {
    /// The pixels of `picture` at the grid `builder` asks for, as a source would sample them.
    static func sampled(_ picture: YUV420Picture, for sampler: any PictureSampler) -> SampledPicture {
        let grid = sampler.grid(width: picture.width, height: picture.height)
        var pixels = [UInt8](repeating: 0, count: grid.rows.count * grid.columns.count * 3)
        pixels.withUnsafeMutableBufferPointer { picture.sampleRGB(rows: grid.rows, columns: grid.columns, into: $0) }
        return SampledPicture(
            grid: grid, pixels: RGBImage(width: grid.columns.count, height: grid.rows.count, pixels: pixels))
    }

    @Test(arguments: ["17.jpg", "1.jpg"], [(320, 240), (640, 480)])
    func tensorFromSamplesEqualsTensorFromTheWholePicture(photo: String, input: (width: Int, height: Int)) throws {
        let picture = try YUV420DetectionTests.picture(fromPhoto: photo)
        let image = picture.rgbImage()
        var fromSamples = InputTensorBuilder(width: input.width, height: input.height)
        var fromRGB = InputTensorBuilder(width: input.width, height: input.height)
        let samples = Self.sampled(
            picture, for: InputResizeSampler(width: input.width, height: input.height, reduces: false))
        var samplesTensor = [Float](repeating: .nan, count: fromSamples.elementCount)
        var rgbTensor = [Float](repeating: 0, count: fromRGB.elementCount)
        for _ in 0..<2 {  // the second round reuses the builder's plan
            samplesTensor.withUnsafeMutableBufferPointer { fromSamples.fill($0, from: samples) }
            fromRGB.fill(&rgbTensor, from: image)
            #expect(samplesTensor == rgbTensor)
        }
        // The same builder also serves whole 4:2:0 pictures of that size afterwards.
        var planesTensor = [Float](repeating: .nan, count: fromSamples.elementCount)
        planesTensor.withUnsafeMutableBufferPointer { fromSamples.fill($0, from: picture) }
        #expect(planesTensor == rgbTensor)
    }

    @Test func detectionsFromSamplesEqualDetectionsFromTheWholePicture() throws {
        let loaded = try CompiledFaceModel.load("RFB-320")
        let detector = FaceDetector(model: loaded.model, layout: loaded.layout)
        let picture = try YUV420DetectionTests.picture(fromPhoto: "17.jpg")
        let sampler = InputResizeSampler(
            width: loaded.layout.inputWidth, height: loaded.layout.inputHeight, reduces: false)
        let fromSamples = try detector.detect(in: .sampled(Self.sampled(picture, for: sampler)))
        let fromRGB = try detector.detect(in: picture.rgbImage())
        #expect(!fromRGB.isEmpty)
        #expect(fromSamples == fromRGB)
    }

    /// `picture` sampled at `sampler`'s grid and reduced by `reduction`, as a source does it.
    static func reduced(
        _ picture: YUV420Picture, for sampler: any PictureSampler, with reduction: inout any SampleReduction
    ) -> SampledPicture {
        let samples = sampled(picture, for: sampler)
        return SampledPicture(grid: samples.grid, reducedPixels: reduction.reduce(samples.pixels))
    }

    @Test(arguments: [(320, 240), (640, 480)])
    func tensorFromResizedSamplesEqualsTensorFromTheWholePicture(input: (width: Int, height: Int)) throws {
        let photo = try YUV420DetectionTests.picture(fromPhoto: "17.jpg")
        // A second picture of the same size (the reducer keeps scratch rows between frames).
        let mirrored = YUV420Picture(
            width: photo.width, height: photo.height, luma: photo.luma.reversed(),
            blueDifference: photo.blueDifference.reversed(), redDifference: photo.redDifference.reversed(),
            coefficients: photo.coefficients)
        var fromReduced = InputTensorBuilder(width: input.width, height: input.height)
        let sampler = InputResizeSampler(width: input.width, height: input.height)
        var reduction = try #require(sampler.makeReduction(for: sampler.grid(width: photo.width, height: photo.height)))
        for picture in [photo, mirrored, photo] {
            let reduced = Self.reduced(picture, for: sampler, with: &reduction)
            #expect(reduced.isReduced)
            #expect(reduced.pixels.width == input.width && reduced.pixels.height == input.height)
            // The grid is the one the sampler without reduction reads.
            #expect(
                reduced.grid
                    == InputResizeSampler(width: input.width, height: input.height, reduces: false)
                    .grid(width: picture.width, height: picture.height))
            var reducedTensor = [Float](repeating: .nan, count: fromReduced.elementCount)
            reducedTensor.withUnsafeMutableBufferPointer { fromReduced.fill($0, from: reduced) }
            var fromRGB = InputTensorBuilder(width: input.width, height: input.height)
            let rgbTensor = fromRGB.makeTensor(from: picture.rgbImage())
            #expect(reducedTensor == rgbTensor)
        }
    }

    @Test func detectionsFromResizedSamplesEqualDetectionsFromTheWholePicture() throws {
        let loaded = try CompiledFaceModel.load("RFB-320")
        let detector = FaceDetector(model: loaded.model, layout: loaded.layout)
        let picture = try YUV420DetectionTests.picture(fromPhoto: "17.jpg")
        let sampler = detector.inputSampler
        var reduction = try #require(
            sampler.makeReduction(for: sampler.grid(width: picture.width, height: picture.height)))
        let fromReduced = try detector.detect(in: .sampled(Self.reduced(picture, for: sampler, with: &reduction)))
        let fromRGB = try detector.detect(in: picture.rgbImage())
        #expect(!fromRGB.isEmpty)
        #expect(fromReduced == fromRGB)
    }

    @Test func planesWithPaddedRowsConvertLikePackedPlanes() {
        var state: UInt32 = 987
        func noise(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state = state &* 1_664_525 &+ 1_013_904_223
                return UInt8(truncatingIfNeeded: state >> 24)
            }
        }
        let (width, height) = (38, 22)
        let coefficients = YUVToRGBCoefficients(
            yOffset: 8192, yScale: 9539, vToRed: 13075, vToGreen: -6660, uToGreen: -3209, uToBlue: 16525)
        let picture = YUV420Picture(
            width: width, height: height, luma: noise(width * height), blueDifference: noise(width * height / 4),
            redDifference: noise(width * height / 4), coefficients: coefficients)
        // The same planes with rows padded to 64 (luma) and 32 (chroma) bytes, as a decoder lays them.
        func padded(_ plane: [UInt8], width: Int, stride: Int) -> [UInt8] {
            (0..<plane.count / width).flatMap { plane[$0 * width..<($0 + 1) * width] + noise(stride - width) }
        }
        let luma = padded(picture.luma, width: width, stride: 64)
        let blue = padded(picture.blueDifference, width: width / 2, stride: 32)
        let red = padded(picture.redDifference, width: width / 2, stride: 32)
        let rows = [0, 1, 2, 5, 6, 20, 21]
        let columns = [0, 1, 2, 7, 8, 36, 37]
        var fromPadded = [UInt8](repeating: 0, count: rows.count * columns.count * 3)
        var fromPacked = fromPadded
        var rowByRow = fromPadded
        luma.withUnsafeBufferPointer { l in
            blue.withUnsafeBufferPointer { b in
                red.withUnsafeBufferPointer { r in
                    let planes = YUV420Planes(
                        width: width, height: height, luma: l.baseAddress!, lumaStride: 64,
                        blueDifference: b.baseAddress!, blueStride: 32, redDifference: r.baseAddress!, redStride: 32,
                        coefficients: coefficients)
                    fromPadded.withUnsafeMutableBufferPointer {
                        planes.sampleRGB(rows: rows, columns: columns, into: $0)
                    }
                    // One row converter visiting the rows out of order gives the same bytes.
                    let converter = planes.rowConverter(columns: columns)
                    rowByRow.withUnsafeMutableBufferPointer { out in
                        for (index, row) in rows.enumerated().reversed() {
                            let start = index * columns.count * 3
                            converter.convert(
                                row: row,
                                into: UnsafeMutableBufferPointer(rebasing: out[start..<start + columns.count * 3]))
                        }
                    }
                }
            }
        }
        fromPacked.withUnsafeMutableBufferPointer { picture.sampleRGB(rows: rows, columns: columns, into: $0) }
        #expect(fromPadded == fromPacked)
        #expect(rowByRow == fromPadded)
        let whole = picture.rgbImage()
        let expected = rows.flatMap { row in
            columns.flatMap { column in whole.pixels[(row * width + column) * 3..<(row * width + column) * 3 + 3] }
        }
        #expect(fromPadded == expected)
    }
}
