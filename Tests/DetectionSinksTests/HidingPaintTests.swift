import Testing
import VideoCore

@testable import DetectionSinks

/// The pieces of hiding in the annotated video: the soft-edged masks, the privacy zone fill, the
/// lookahead buffer and the fail-closed watch.
struct HidingPaintTests {
    static func frame(_ index: Int, faces: [Detection]?, pts: Double? = nil) -> FrameDetections {
        let image = RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: 0, count: 48))
        return FrameDetections(
            frame: VideoFrame(image: image, index: index, pts: pts ?? Double(index) / 10), sequence: index, faces: faces
        )
    }

    static func face(_ x: Float, side: Float = 40) -> Detection {
        Detection(
            box: BoundingBox(x1: x, y1: 10, x2: x + side, y2: 10 + side), score: 0.9, classIndex: 1, label: "face")
    }

    @Test func ellipseMaskIsWholeInsideAndFadesOutsideOverTheFeather() {
        let mask = FaceMask(box: BoundingBox(x1: 0, y1: 0, x2: 100, y2: 60), scale: 1.3, shape: .ellipse)
        // Semi-axes 65 and 39 around (50, 30); feather 6 % of 78 = 4.68 px.
        #expect(mask.coverage(x: 50, y: 30) == 1)
        #expect(mask.coverage(x: 50 + 64, y: 30) == 1)
        #expect(mask.coverage(x: 50, y: 30 + 38.5) == 1)
        // The box shrunk by 8 % lies inside the ellipse of 1.3 times the box; the box's own corners
        // (background, beside an oval face) are only partly covered (they are inside from 1.42).
        #expect(mask.coverage(x: 4, y: 3) == 1)
        #expect(mask.coverage(x: 0, y: 0) < 1)
        #expect(
            FaceMask(box: BoundingBox(x1: 0, y1: 0, x2: 100, y2: 60), scale: 1.42, shape: .ellipse)
                .coverage(x: 0, y: 0) == 1)
        // Fading outside, then nothing.
        let edge = mask.coverage(x: 50 + 65 + 2, y: 30)
        #expect(edge > 0 && edge < 1)
        #expect(mask.coverage(x: 50 + 65 + 10, y: 30) == 0)
        // The corner of the scaled box is outside the ellipse: not hidden.
        #expect(mask.coverage(x: 50 + 64, y: 30 + 38) == 0)
        let rect = FaceMask(box: BoundingBox(x1: 0, y1: 0, x2: 100, y2: 60), scale: 1.3, shape: .rect)
        #expect(rect.coverage(x: 50 + 64, y: 30 + 38) == 1)
    }

    @Test func solidMaskBlackensTheScaledRegionAndBlendsItsEdge() {
        var image = RGBImage(width: 200, height: 120, pixels: [UInt8](repeating: 200, count: 200 * 120 * 3))
        let mask = FaceMask(box: BoundingBox(x1: 80, y1: 40, x2: 120, y2: 80), scale: 1.5, shape: .ellipse)
        FramePainter().hide(&image, mask, style: .solid)
        func grey(_ x: Int, _ y: Int) -> UInt8 { image.pixels[(y * 200 + x) * 3] }
        // Scaled box 70...130 x 30...90; the face box's corners are inside the ellipse.
        #expect(grey(100, 60) == 0 && grey(81, 41) == 0 && grey(118, 78) == 0 && grey(71, 60) == 0)
        #expect(grey(20, 20) == 200 && grey(100, 110) == 200)
        // Soft edge: just outside the ellipse, between black and the background.
        let outside = grey(131, 60)
        #expect(outside > 0 && outside < 200)
    }

    /// RGB frames (cameras, rotated video) are hidden with the plane painter's effects: every
    /// channel must equal that effect over the mask's outer rectangle mixed into the original by
    /// the coverage at each pixel's centre, and nothing outside the rectangle may change.
    @Test(arguments: [AnnotationStyle.blur, .pixelate, .solid])
    func rgbHidingIsThePlaneEffectPerChannelMixedByCoverage(style: AnnotationStyle) {
        let (width, height) = (160, 120)
        var state: UInt32 = 3
        let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        let mask = FaceMask(box: BoundingBox(x1: 40.6, y1: 22.2, x2: 101.3, y2: 95.8), scale: 1.2, shape: .ellipse)
        var image = RGBImage(width: width, height: height, pixels: pixels)
        FramePainter().hide(&image, mask, style: style)
        let rect = PixelRect(clipping: mask.outerBox, width: width, height: height)!
        let side = Int(mask.side)
        for c in 0..<3 {
            let channel = (0..<(width * height)).map { pixels[$0 * 3 + c] }
            var whole = channel
            whole.withUnsafeMutableBufferPointer { buffer in
                let plane = MutablePlane(base: buffer.baseAddress!, width: width, height: height, stride: width)
                switch style {
                case .blur: PlaneKernels.blur(plane, rect, radius: max(2, side / 5), passes: FramePainter().blurPasses)
                case .pixelate: PlaneKernels.pixelate(plane, rect, block: max(3, side / 8))
                default: PlaneKernels.fill(plane, rect, value: 0)
                }
            }
            for index in 0..<(width * height) {
                let (x, y) = (index % width, index / width)
                var wanted = channel[index]
                if (rect.x0..<rect.x1).contains(x), (rect.y0..<rect.y1).contains(y) {
                    let alpha = mask.coverage(x: Float(x) + 0.5, y: Float(y) + 0.5)
                    let mixed = alpha * Float(whole[index]) + (1 - alpha) * Float(channel[index])
                    wanted = UInt8(min(255, max(0, mixed + 0.5)))
                }
                if image.pixels[index * 3 + c] != wanted {
                    Issue.record("\(style): channel \(c) at \(x),\(y): \(image.pixels[index * 3 + c]) != \(wanted)")
                    return
                }
            }
        }
        #expect(image.pixels != pixels)
    }

    /// Masks that reach outside the picture, tiny ones and absurd ones are clipped on both
    /// painters: no trap, and nothing changes outside the part of the outer box in the picture.
    @Test(arguments: [AnnotationStyle.blur, .pixelate, .solid])
    func masksAtAndBeyondTheEdgesAreClippedOnBothPainters(style: AnnotationStyle) {
        let boxes = [
            BoundingBox(x1: -40, y1: -30, x2: 30, y2: 25), BoundingBox(x1: 100, y1: 70, x2: 1e9, y2: 1e9),
            BoundingBox(x1: 3, y1: 3, x2: 4, y2: 4), BoundingBox(x1: -1e30, y1: -1e30, x2: 1e-30, y2: 1e-30),
            BoundingBox(x1: 50, y1: 40, x2: 50, y2: 90), BoundingBox(x1: 0, y1: 0, x2: 64, y2: 48),
        ]
        let (width, height) = (64, 48)
        var state: UInt32 = 5
        let bytes = (0..<(width * height * 3)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        for box in boxes {
            for shape in [MaskShape.ellipse, .rect] {
                let mask = FaceMask(box: box, scale: 1.3, shape: shape)
                let outer = PixelRect(clipping: mask.outerBox, width: width, height: height)
                var image = RGBImage(width: width, height: height, pixels: bytes)
                FramePainter().hide(&image, mask, style: style)
                let picture = YUV420Picture(
                    width: width, height: height, luma: Array(bytes[0..<(width * height)]),
                    blueDifference: Array(bytes[0..<(width * height / 4)]),
                    redDifference: Array(bytes[(width * height / 4)..<(width * height / 2)]),
                    coefficients: YUVToRGBCoefficients(
                        yOffset: 8192, yScale: 9539, vToRed: 13075, vToGreen: -6660, uToGreen: -3209, uToBlue: 16525))
                let planes = YUV420Canvas.painting(picture) { FramePainter().hide(&$0, mask, style: style) }
                for index in 0..<(width * height) {
                    let (x, y) = (index % width, index / width)
                    // The plane painter grows the rectangle to even edges.
                    let inside =
                        outer.map {
                            (($0.x0 & ~1)..<($0.x1 + 1)).contains(x) && (($0.y0 & ~1)..<($0.y1 + 1)).contains(y)
                        } ?? false
                    if !inside {
                        #expect(image.pixels[index * 3] == bytes[index * 3], "\(box) rgb \(x),\(y)")
                        #expect(planes.luma[index] == picture.luma[index], "\(box) luma \(x),\(y)")
                    }
                }
            }
        }
    }

    @Test func strengthFollowsTheFaceSize() {
        // A large and a small face on the same noise: both lose about as much detail.
        var state: UInt32 = 7
        let pixels = (0..<(400 * 300 * 3)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        func blockSide(_ box: BoundingBox) -> Int {
            var image = RGBImage(width: 400, height: 300, pixels: pixels)
            FramePainter().hide(&image, FaceMask(box: box, scale: 1, shape: .rect), style: .pixelate)
            // Length of the run of equal pixels starting at the box's corner.
            let y = Int(box.y1) + 1
            var x = Int(box.x1)
            let first = image.pixels[(y * 400 + x) * 3]
            while x < 400, image.pixels[(y * 400 + x) * 3] == first { x += 1 }
            return x - Int(box.x1)
        }
        let small = blockSide(BoundingBox(x1: 20, y1: 20, x2: 60, y2: 60))
        let large = blockSide(BoundingBox(x1: 100, y1: 20, x2: 260, y2: 180))
        #expect(large >= 3 * small, "\(small) \(large)")
    }

    @Test func zoneFillCoversThePolygonAtPixelCentres() throws {
        let zones = [try Zone(parsing: "2,2 8,2 8,6 2,6"), try Zone(parsing: "50%,50% 100%,50% 100%,100%")]
        let fill = ZoneFill(zones: zones, width: 20, height: 10)
        var image = RGBImage(width: 20, height: 10, pixels: [UInt8](repeating: 255, count: 600))
        fill.paint(&image)
        var painted = Set<[Int]>()
        for y in 0..<10 {
            for x in 0..<20 where image.pixels[(y * 20 + x) * 3] == 0 { painted.insert([x, y]) }
        }
        // Exactly the pixels whose centre lies inside one of the polygons.
        var expected = Set<[Int]>()
        let polygons = zones.map { $0.polygon(width: 20, height: 10) }
        for y in 0..<10 {
            for x in 0..<20
            where polygons.contains(where: { $0.contains(x: Float(x) + 0.5, y: Float(y) + 0.5) }) {
                expected.insert([x, y])
            }
        }
        #expect(painted == expected)
        #expect(painted.contains([2, 2]) && painted.contains([7, 5]) && !painted.contains([8, 5]))
        #expect(painted.count == 24 + 25)  // a 6x4 rectangle and half of a 10x5 one
    }

    @Test func lookaheadAddsANewFaceToTheFramesBeforeItAndKeepsTheOrder() {
        var buffer = LookaheadBuffer(seconds: 0.3)
        var out: [FrameDetections] = []
        // Frames 0...3 without the face, then the face from frame 4 on; 10 fps.
        for index in 0..<8 {
            out += buffer.push(Self.frame(index, faces: index >= 4 ? [Self.face(10)] : []))
            #expect(buffer.count <= 4)
        }
        out += buffer.flush()
        #expect(out.map(\.frame.index) == Array(0..<8))
        // 0.3 s before frame 4: frames 1, 2 and 3 get the box; frame 0 does not.
        #expect(out.map(\.shownFaces.count) == [0, 1, 1, 1, 1, 1, 1, 1])
        #expect(out[2].shownFaces.first?.box == Self.face(10).box)
    }

    @Test func lookaheadStopsAtAFrameThatShowsTheFaceAlready() {
        var buffer = LookaheadBuffer(seconds: 1)
        var out: [FrameDetections] = []
        // Face, a gap of two frames, the face a little further on: only the gap is filled, once.
        let script: [[Detection]] = [[Self.face(10)], [Self.face(12)], [], [], [Self.face(16)]]
        for (index, faces) in script.enumerated() { out += buffer.push(Self.frame(index, faces: faces)) }
        out += buffer.flush()
        #expect(out.map(\.shownFaces.count) == [1, 1, 1, 1, 1])
        #expect(out[2].shownFaces.first?.box.x1 == 16)
    }

    @Test func lookaheadHoldsAtMostItsFrameCap() {
        var buffer = LookaheadBuffer(seconds: 2, maximumFrames: 5)
        var released: [Int] = []
        for index in 0..<20 {
            released += buffer.push(Self.frame(index, faces: [])).map(\.frame.index)
            #expect(buffer.count <= 5)
        }
        #expect(released == Array(0..<15))
        #expect(buffer.flush().map(\.frame.index) == Array(15..<20))
        // No lookahead: every frame leaves at once.
        var none = LookaheadBuffer(seconds: 0)
        #expect(none.push(Self.frame(0, faces: [Self.face(1)])).count == 1)
        #expect(none.count == 0)
    }

    @Test func failClosedHidesFramesTooLongAfterTheLastAnalysisOncePerEpisode() {
        var watch = FailClosedWatch(limit: .milliseconds(500))
        // 10 fps: analysed at 0, then nothing analysed until frame 10, then frames 11...16 unanalysed.
        var hidden: [Int] = []
        var starts = 0
        for index in 0..<17 {
            let analysed = index == 0 || index == 10
            let result = watch.conceals(Self.frame(index, faces: analysed ? [] : nil))
            if result.conceals { hidden.append(index) }
            if result.startsEpisode { starts += 1 }
        }
        #expect(hidden == [6, 7, 8, 9, 16])
        #expect(starts == 2 && watch.episodes == 2 && watch.concealedFrames == 5)
    }
}
