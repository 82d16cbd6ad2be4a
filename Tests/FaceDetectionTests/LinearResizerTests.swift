import FaceDetection
import Testing
import VideoCore

@Suite struct LinearResizerTests {
    static let shapes: [(Int, Int, Int, Int)] = [
        (1, 1, 3, 2), (7, 5, 33, 17), (33, 17, 7, 5), (2, 9, 1, 1), (301, 199, 320, 240), (640, 480, 320, 240),
        (320, 240, 320, 240), (123, 77, 124, 76), (97, 1, 13, 4), (1000, 3, 17, 3),
    ]

    @Test(arguments: shapes.indices)
    func matchesReferenceOnOddShapes(index: Int) {
        let (sw, sh, tw, th) = Self.shapes[index]
        let image = RGBImage.random(width: sw, height: sh, seed: UInt64(index + 1))
        let resizer = LinearResizer(sourceWidth: sw, sourceHeight: sh, targetWidth: tw, targetHeight: th)
        let fast = resizer.resize(image)
        let reference = ReferenceLinearResize.resize(image, width: tw, height: th)
        #expect(fast == reference, "\(sw)x\(sh) -> \(tw)x\(th)")
    }

    @Test func sameSizeIsIdentity() {
        let image = RGBImage.random(width: 31, height: 9, seed: 99)
        let resizer = LinearResizer(sourceWidth: 31, sourceHeight: 9, targetWidth: 31, targetHeight: 9)
        #expect(resizer.resize(image) == image)
    }

    @Test func reusedForSeveralFramesGivesSameResult() {
        var builder = InputTensorBuilder(width: 40, height: 30)
        let first = RGBImage.random(width: 97, height: 61, seed: 1)
        let second = RGBImage.random(width: 97, height: 61, seed: 2)
        let firstTensor = builder.makeTensor(from: first)
        _ = builder.makeTensor(from: second)
        let other = RGBImage.random(width: 20, height: 10, seed: 3)
        _ = builder.makeTensor(from: other)
        #expect(builder.makeTensor(from: first) == firstTensor)
    }
}
