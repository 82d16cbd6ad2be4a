import Testing
import VideoCore

@testable import DetectionSinks

/// A 120x90 picture of pseudo-random noise: high variance everywhere, so smoothing is measurable.
private func noisePicture(width: Int = 120, height: Int = 90) -> RGBImage {
    var state: UInt32 = 0x1234_5678
    let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
        state = state &* 1_664_525 &+ 1_013_904_223
        return UInt8(truncatingIfNeeded: state >> 24)
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}

private func face(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float) -> Detection {
    Detection(
        box: BoundingBox(x1: x1, y1: y1, x2: x2, y2: y2), score: 0.99, classIndex: 1, label: "face")
}

/// Variance of the red, green and blue values of `image` in columns `xs`, rows `ys`.
private func variance(_ image: RGBImage, _ xs: Range<Int>, _ ys: Range<Int>) -> Double {
    var values: [Double] = []
    for y in ys {
        for x in xs { for c in 0..<3 { values.append(Double(image.pixels[(y * image.width + x) * 3 + c])) } }
    }
    let mean = values.reduce(0, +) / Double(values.count)
    return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
}

/// Indices of the bytes that differ, as (x, y) pixels.
private func changedPixels(_ a: RGBImage, _ b: RGBImage) -> [(x: Int, y: Int)] {
    var result: [(Int, Int)] = []
    for i in stride(from: 0, to: a.pixels.count, by: 3) where a.pixels[i..<(i + 3)] != b.pixels[i..<(i + 3)] {
        result.append(((i / 3) % a.width, (i / 3) / a.width))
    }
    return result
}

@Suite struct FramePainterTests {
    let painter = FramePainter()

    @Test(arguments: [AnnotationStyle.blur, .pixelate, .solid])
    func hidingSmoothsTheFaceAndLeavesTheRestUntouched(style: AnnotationStyle) {
        let original = noisePicture()
        var painted = original
        painter.paint(&painted, faces: [face(20, 10, 68, 58)], style: style)
        let before = variance(original, 20..<68, 10..<58)
        let after = variance(painted, 20..<68, 10..<58)
        #expect(after < before / 10, "\(style): variance \(before) -> \(after)")
        let changed = changedPixels(original, painted)
        #expect(changed.count > 48 * 48 / 2)
        #expect(changed.allSatisfy { (20..<68).contains($0.x) && (10..<58).contains($0.y) })
    }

    @Test func solidIsBlack() {
        var painted = noisePicture()
        painter.paint(&painted, faces: [face(5.5, 5.5, 30.2, 40.7)], style: .solid)
        for y in 5..<41 {
            for x in 5..<31 {
                #expect(painted.pixels[(y * 120 + x) * 3..<(y * 120 + x) * 3 + 3].allSatisfy { $0 == 0 })
            }
        }
        #expect(painted.pixels[(4 * 120 + 4) * 3..<(4 * 120 + 4) * 3 + 3] != [0, 0, 0])
    }

    @Test func blurKeepsTheMeanColour() {
        let original = noisePicture()
        var painted = original
        painter.paint(&painted, faces: [face(30, 20, 90, 80)], style: .blur)
        func mean(_ image: RGBImage) -> Double {
            var sum = 0.0
            for y in 20..<80 { for x in 30..<90 { sum += Double(image.pixels[(y * 120 + x) * 3]) } }
            return sum / 3600
        }
        #expect(abs(mean(original) - mean(painted)) < 4)
    }

    @Test func boxOutlineIsColouredAndTheInsideKept() {
        let original = noisePicture()
        var painted = original
        painter.paint(&painted, faces: [face(10, 10, 50, 40)], style: .box)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(painted.pixels[(y * 120 + x) * 3..<(y * 120 + x) * 3 + 3]) }
        for (x, y) in [(10, 10), (12, 12), (49, 39), (30, 10), (30, 39), (10, 25), (49, 25), (47, 37)] {
            #expect(pixel(x, y) == [0, 255, 0], "(\(x), \(y))")
        }
        let changed = changedPixels(original, painted)
        #expect(changed.allSatisfy { (10..<50).contains($0.x) && (10..<40).contains($0.y) })
        #expect(!changed.contains { (13..<47).contains($0.x) && (13..<37).contains($0.y) })
    }

    @Test func scoreLabelIsWrittenAboveTheBoxInTheOutlineColour() {
        let original = noisePicture()
        var painted = original
        let labelled = FramePainter(showsScore: true)
        var detection = face(20, 30, 80, 90)
        detection.score = 0.987
        labelled.paint(&painted, faces: [detection], style: .box)
        #expect(FramePainter.labelText(score: 0.987) == "0.99")
        #expect(FramePainter.labelText(score: 1) == "1.00" && FramePainter.labelText(score: 0.705) == "0.71")
        // The label sits on the rows just above the box: outline-coloured background, black glyphs.
        let above = changedPixels(original, painted).filter { $0.y < 30 }
        #expect(!above.isEmpty)
        #expect(above.allSatisfy { (20..<40).contains($0.x) && (23..<30).contains($0.y) })
        let colours = Set(above.map { Array(painted.pixels[($0.y * 120 + $0.x) * 3..<($0.y * 120 + $0.x) * 3 + 3]) })
        #expect(colours == [[0, 255, 0], [0, 0, 0]])
    }

    @Test(arguments: AnnotationStyle.allCases)
    func offImageAndDegenerateBoxesAreSafe(style: AnnotationStyle) {
        let original = noisePicture()
        var painted = original
        let outside = [
            face(-50, -50, -10, -10), face(200, 10, 300, 50), face(10, 100, 50, 200), face(30, 30, 30, 60),
            face(40, 40, 20, 20), face(.nan, 0, 10, 10), face(0, 0, .infinity, 10), face(-.infinity, 0, 5, 5),
        ]
        painter.paint(&painted, faces: outside, style: style)
        #expect(changedPixels(original, painted).isEmpty)
        // A huge box that still covers pixel (0, 0): painted, and no overflow.
        painter.paint(&painted, faces: [face(-1e30, -1e30, 1e-30, 1e-30)], style: style)
        #expect(changedPixels(original, painted).allSatisfy { $0.x == 0 && $0.y == 0 })
    }

    @Test(arguments: AnnotationStyle.allCases)
    func boxesReachingOutsideAreClipped(style: AnnotationStyle) {
        let original = noisePicture()
        var painted = original
        painter.paint(&painted, faces: [face(-40, -30, 30, 25), face(100, 70, 1e9, 1e9)], style: style)
        let changed = changedPixels(original, painted)
        #expect(!changed.isEmpty)
        #expect(changed.allSatisfy { ($0.x < 30 && $0.y < 25) || ($0.x >= 100 && $0.y >= 70) })
    }

    @Test func tinyFacesAreStillHidden() {
        var painted = noisePicture()
        painter.paint(&painted, faces: [face(3, 3, 5, 5)], style: .pixelate)
        let block = Array(painted.pixels[(3 * 120 + 3) * 3..<(3 * 120 + 3) * 3 + 3])
        #expect(Array(painted.pixels[(4 * 120 + 4) * 3..<(4 * 120 + 4) * 3 + 3]) == block)
    }
}
