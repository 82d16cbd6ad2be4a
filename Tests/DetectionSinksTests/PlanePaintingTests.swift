import CPixelKernels
import Testing
import VideoCore

@testable import DetectionSinks

/// Painting on decoded 4:2:0 planes (`YUV420Canvas`): the hiding styles hide the mask's region and
/// leave every other sample alone, colours come out right after conversion to RGB, and the blur
/// kernel equals a naive box blur where it runs at full resolution.
struct PlanePaintingTests {
    /// BT.601 limited range, as swscale converts untagged video.
    static let limited = YUVToRGBCoefficients(
        yOffset: 8192, yScale: 9539, vToRed: 13075, vToGreen: -6660, uToGreen: -3209, uToBlue: 16525)
    /// BT.601 full range (JPEG).
    static let full = YUVToRGBCoefficients(
        yOffset: 0, yScale: 8192, vToRed: 11485, vToGreen: -5850, uToGreen: -2819, uToBlue: 14516)

    /// Noise in all three planes (luma 16...235, chroma 16...240), fixed seed.
    static func noise(
        width: Int = 160, height: Int = 120, seed: UInt32 = 11, coefficients: YUVToRGBCoefficients = limited
    ) -> YUV420Picture {
        var state = seed
        func next(_ range: ClosedRange<Int>) -> UInt8 {
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(range.lowerBound + Int(state >> 24) % (range.count))
        }
        let chroma = (width / 2) * (height / 2)
        return YUV420Picture(
            width: width, height: height, luma: (0..<(width * height)).map { _ in next(16...235) },
            blueDifference: (0..<chroma).map { _ in next(16...240) },
            redDifference: (0..<chroma).map { _ in next(16...240) },
            coefficients: coefficients)
    }

    static func variance(_ plane: [UInt8], width: Int, _ xs: Range<Int>, _ ys: Range<Int>) -> Double {
        let values = ys.flatMap { y in xs.map { x in Double(plane[y * width + x]) } }
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }

    /// Samples that differ between two planes, as (column, row).
    static func changed(_ a: [UInt8], _ b: [UInt8], width: Int) -> [(x: Int, y: Int)] {
        a.indices.filter { a[$0] != b[$0] }.map { ($0 % width, $0 / width) }
    }

    /// `plane` (packed rows of `width`) changed in place by `body`.
    static func inPlace(_ plane: [UInt8], width: Int, _ body: (MutablePlane) -> Void) -> [UInt8] {
        var copy = plane
        copy.withUnsafeMutableBufferPointer {
            body(MutablePlane(base: $0.baseAddress!, width: width, height: $0.count / width, stride: width))
        }
        return copy
    }

    static let mask = FaceMask(box: BoundingBox(x1: 60, y1: 40, x2: 100, y2: 84), scale: 1.2, shape: .ellipse)

    @Test(arguments: [AnnotationStyle.blur, .pixelate, .solid])
    func hidingSmoothsTheMaskOnEveryPlaneAndLeavesTheRestUntouched(style: AnnotationStyle) {
        let original = Self.noise()
        let canvas = YUV420Canvas.painting(original) { FramePainter().hide(&$0, Self.mask, style: style) }
        // The core of the face (well inside the ellipse), on luma and on both chroma planes.
        let (xs, ys) = (70..<90, 52..<72)
        let (cxs, cys) = (36..<44, 27..<35)
        for (before, after, w, x, y) in [
            (original.luma, canvas.luma, 160, xs, ys),
            (original.blueDifference, canvas.blueDifference, 80, cxs, cys),
            (original.redDifference, canvas.redDifference, 80, cxs, cys),
        ] {
            let was = Self.variance(before, width: w, x, y)
            let now = Self.variance(after, width: w, x, y)
            // Pixelate's chroma blocks average 9 samples of noise here (luma's 36): a fifth at least.
            #expect(now < was / 5, "\(style): variance \(was) -> \(now)")
        }
        // Nothing changes outside the outer box (the mask plus its feather), grown to even edges.
        let outer = Self.mask.outerBox
        let (x0, y0) = (Int(outer.x1.rounded(.down)) & ~1, Int(outer.y1.rounded(.down)) & ~1)
        let (x1, y1) = (Int(outer.x2.rounded(.up)) + 1, Int(outer.y2.rounded(.up)) + 1)
        for point in Self.changed(original.luma, canvas.luma, width: 160) {
            #expect((x0..<x1).contains(point.x) && (y0..<y1).contains(point.y), "\(style): luma \(point)")
        }
        for plane in [(original.blueDifference, canvas.blueDifference), (original.redDifference, canvas.redDifference)]
        {
            for point in Self.changed(plane.0, plane.1, width: 80) {
                #expect(
                    (x0 / 2..<(x1 + 1) / 2).contains(point.x) && (y0 / 2..<(y1 + 1) / 2).contains(point.y),
                    "\(style): chroma \(point)")
            }
        }
    }

    @Test(arguments: [(PlanePaintingTests.limited, UInt8(16)), (PlanePaintingTests.full, UInt8(0))])
    func solidIsBlackInThePicturesRange(coefficients: YUVToRGBCoefficients, blackLuma: UInt8) {
        let canvas = YUV420Canvas.painting(Self.noise(coefficients: coefficients)) {
            FramePainter().hide(&$0, Self.mask, style: .solid)
        }
        #expect(canvas.luma[62 * 160 + 80] == blackLuma)
        #expect(canvas.blueDifference[31 * 80 + 40] == 128 && canvas.redDifference[31 * 80 + 40] == 128)
        let rgb = canvas.rgbImage()
        #expect(Array(rgb.pixels[(62 * 160 + 80) * 3..<(62 * 160 + 80) * 3 + 3]) == [0, 0, 0])
        let black = YUV420Canvas.painting(Self.noise(coefficients: coefficients)) { $0.fillBlack() }
        #expect(black.rgbImage().pixels.allSatisfy { $0 == 0 })
    }

    @Test(arguments: [PlanePaintingTests.limited, PlanePaintingTests.full])
    func coloursComeBackThroughThePicturesOwnConversion(coefficients: YUVToRGBCoefficients) {
        for color: (UInt8, UInt8, UInt8) in [(0, 255, 0), (0, 0, 0), (255, 255, 255), (200, 40, 90)] {
            let canvas = YUV420Canvas.painting(Self.noise(width: 32, height: 32, coefficients: coefficients)) {
                $0.fill(PixelRect(x0: 0, y0: 0, x1: 32, y1: 32), with: color)
            }
            let rgb = canvas.rgbImage()
            let pixel = Array(rgb.pixels[(16 * 32 + 16) * 3..<(16 * 32 + 16) * 3 + 3])
            let wanted = [color.0, color.1, color.2]
            #expect(zip(pixel, wanted).allSatisfy { abs(Int($0) - Int($1)) <= 3 }, "\(wanted) -> \(pixel)")
        }
    }

    @Test func boxOutlineAndLabelOnPlanesAreGreenAndTheInsideKept() {
        let original = Self.noise()
        let face = Detection(
            box: BoundingBox(x1: 40, y1: 40, x2: 120, y2: 100), score: 0.87, classIndex: 1, label: "face")
        let canvas = YUV420Canvas.painting(original) { FramePainter(showsScore: true).paintBoxes(&$0, faces: [face]) }
        let rgb = canvas.rgbImage()
        func pixel(_ x: Int, _ y: Int) -> [Int] { (0..<3).map { Int(rgb.pixels[(y * 160 + x) * 3 + $0]) } }
        // The middle of the left side and of the bottom side: green.
        for (x, y) in [(41, 70), (80, 98)] {
            let p = pixel(x, y)
            #expect(p[1] > 200 && p[0] < 60 && p[2] < 60, "\(x),\(y): \(p)")
        }
        // The inside is untouched (luma and chroma) away from the outline.
        for y in 46..<94 {
            for x in 46..<114 { #expect(canvas.luma[y * 160 + x] == original.luma[y * 160 + x]) }
        }
        for y in 24..<46 {
            for x in 24..<56 { #expect(canvas.blueDifference[y * 80 + x] == original.blueDifference[y * 80 + x]) }
        }
        // The label sits above the box: something was drawn in the rows above it.
        #expect(Self.changed(original.luma, canvas.luma, width: 160).contains { $0.y < 40 })
    }

    @Test func zonesOnPlanesBlackenTheSameLumaPixelsAsOnRGB() throws {
        let zones = [try Zone(parsing: "10,10 70,10 70,50 10,50"), try Zone(parsing: "50%,50% 100%,50% 100%,100%")]
        let fill = ZoneFill(zones: zones, width: 160, height: 120)
        let original = Self.noise()
        let canvas = YUV420Canvas.painting(original) { $0.paint(fill) }
        var rgb = RGBImage(width: 160, height: 120, pixels: [UInt8](repeating: 255, count: 160 * 120 * 3))
        fill.paint(&rgb)
        for y in 0..<120 {
            for x in 0..<160 {
                let black = rgb.pixels[(y * 160 + x) * 3] == 0
                #expect(canvas.luma[y * 160 + x] == (black ? 16 : original.luma[y * 160 + x]), "\(x),\(y)")
            }
        }
        #expect(canvas.blueDifference[15 * 80 + 20] == 128 && canvas.redDifference[15 * 80 + 20] == 128)
    }

    @Test(arguments: [MaskShape.ellipse, .rect])
    func solidMixEqualsThePerPixelCoverageEverywhere(shape: MaskShape) {
        // Reference: every sample of the plane mixed by the coverage at its centre (chroma: the
        // centre of its 2x2 block), with no shortcut for the inside or the outside.
        let original = Self.noise(width: 200, height: 160, seed: 3)
        let mask = FaceMask(box: BoundingBox(x1: 61.3, y1: 37.8, x2: 131.6, y2: 119.2), scale: 1.15, shape: shape)
        let canvas = YUV420Canvas.painting(original) { FramePainter().hide(&$0, mask, style: .solid) }
        func expected(_ plane: [UInt8], width: Int, scale: Float, level: UInt8) -> [UInt8] {
            plane.indices.map { index in
                let (x, y) = (index % width, index / width)
                let alpha = mask.coverage(x: (Float(x) + 0.5) * scale, y: (Float(y) + 0.5) * scale)
                let mixed = alpha * Float(level) + (1 - alpha) * Float(plane[index])
                return UInt8(min(255, max(0, mixed.rounded())))
            }
        }
        #expect(canvas.luma == expected(original.luma, width: 200, scale: 1, level: 16))
        #expect(canvas.blueDifference == expected(original.blueDifference, width: 100, scale: 2, level: 128))
        #expect(canvas.redDifference == expected(original.redDifference, width: 100, scale: 2, level: 128))
    }

    /// The blur and pixelate effects are produced row by row and only where the mask covers the
    /// picture; the result must equal the effect applied to the mask's whole outer rectangle
    /// (`PlaneKernels`, checked against naive references below) mixed into the original by the
    /// coverage at every sample's centre.
    @Test(arguments: [AnnotationStyle.blur, .pixelate], [MaskShape.ellipse, .rect])
    func hiddenSamplesAreTheWholeEffectMixedByCoverage(style: AnnotationStyle, shape: MaskShape) {
        let original = Self.noise(width: 200, height: 160, seed: 9)
        let mask = FaceMask(box: BoundingBox(x1: 61.3, y1: 37.8, x2: 131.6, y2: 119.2), scale: 1.15, shape: shape)
        let painted = YUV420Canvas.painting(original) { FramePainter().hide(&$0, mask, style: style) }
        // The rectangle the painter works on: the outer box, rounded out to whole even pixels.
        let outer = mask.outerBox
        let x1 = Int(outer.x2.rounded(.up))
        let y1 = Int(outer.y2.rounded(.up))
        let rect = PixelRect(
            x0: Int(outer.x1.rounded(.down)) & ~1, y0: Int(outer.y1.rounded(.down)) & ~1, x1: x1 + x1 % 2,
            y1: y1 + y1 % 2)
        let chroma = YUV420Canvas.chromaRect(rect)
        let side = Int(mask.side)
        let passes = FramePainter().blurPasses
        func effect(_ plane: [UInt8], width: Int, _ rect: PixelRect, chroma: Bool) -> [UInt8] {
            Self.inPlace(plane, width: width) { plane in
                if style == .blur {
                    let radius = max(2, side / 5)
                    PlaneKernels.blur(plane, rect, radius: chroma ? max(1, radius / 2) : radius, passes: passes)
                } else {
                    let block = (max(3, side / 8) + 1) & ~1
                    PlaneKernels.pixelate(plane, rect, block: chroma ? block / 2 : block)
                }
            }
        }
        func expected(_ plane: [UInt8], width: Int, _ rect: PixelRect, scale: Float, chroma: Bool) -> [UInt8] {
            let whole = effect(plane, width: width, rect, chroma: chroma)
            return plane.indices.map { index in
                let (x, y) = (index % width, index / width)
                guard (rect.x0..<rect.x1).contains(x), (rect.y0..<rect.y1).contains(y) else { return plane[index] }
                let alpha = mask.coverage(x: (Float(x) + 0.5) * scale, y: (Float(y) + 0.5) * scale)
                let mixed = alpha * Float(whole[index]) + (1 - alpha) * Float(plane[index])
                return UInt8(min(255, max(0, mixed.rounded())))
            }
        }
        #expect(painted.luma == expected(original.luma, width: 200, rect, scale: 1, chroma: false))
        #expect(painted.blueDifference == expected(original.blueDifference, width: 100, chroma, scale: 2, chroma: true))
        #expect(painted.redDifference == expected(original.redDifference, width: 100, chroma, scale: 2, chroma: true))
        #expect(painted.luma != original.luma)
    }

    /// An encoder's frame pads its rows: painting there must give the same pixels as on packed
    /// rows and leave the padding alone.
    @Test(arguments: [AnnotationStyle.blur, .pixelate, .solid, .box])
    func paintingOnPaddedRowsEqualsPaintingOnPackedRows(style: AnnotationStyle) {
        let original = Self.noise(width: 160, height: 120, seed: 21)
        let faces = [
            Detection(box: BoundingBox(x1: 50, y1: 30, x2: 110, y2: 100), score: 0.9, classIndex: 1, label: "face"),
            Detection(box: BoundingBox(x1: -20, y1: 70, x2: 30, y2: 140), score: 0.8, classIndex: 1, label: "face"),
        ]
        func paint(_ canvas: inout YUV420Canvas) {
            if style == .box { return FramePainter(showsScore: true).paintBoxes(&canvas, faces: faces) }
            for face in faces {
                FramePainter().hide(&canvas, FaceMask(box: face.box, scale: 1.3, shape: .ellipse), style: style)
            }
        }
        let packed = YUV420Canvas.painting(original, paint)
        let padding = 40
        func padded(_ plane: [UInt8], width: Int) -> [UInt8] {
            stride(from: 0, to: plane.count, by: width).flatMap {
                Array(plane[$0..<($0 + width)]) + [UInt8](repeating: 0xA5, count: padding)
            }
        }
        var y = padded(original.luma, width: 160)
        var u = padded(original.blueDifference, width: 80)
        var v = padded(original.redDifference, width: 80)
        y.withUnsafeMutableBufferPointer { y in
            u.withUnsafeMutableBufferPointer { u in
                v.withUnsafeMutableBufferPointer { v in
                    var canvas = YUV420Canvas(
                        MutableYUV420Planes(
                            width: 160, height: 120,
                            luma: MutablePlane(base: y.baseAddress!, width: 160, height: 120, stride: 160 + padding),
                            blueDifference: MutablePlane(
                                base: u.baseAddress!, width: 80, height: 60, stride: 80 + padding),
                            redDifference: MutablePlane(
                                base: v.baseAddress!, width: 80, height: 60, stride: 80 + padding)),
                        of: original)
                    paint(&canvas)
                }
            }
        }
        #expect(y == padded(packed.luma, width: 160))
        #expect(u == padded(packed.blueDifference, width: 80))
        #expect(v == padded(packed.redDifference, width: 80))
        #expect(packed.luma != original.luma)
    }

    /// The band mix runs in C, built twice (AVX2 and the base set; the loader picks one): both
    /// builds must give what the scalar coverage (`FaceMask.coverage`) and the float mix give, for
    /// every sample of rows across the whole mask, on luma and chroma scales.
    @Test(arguments: [MaskShape.ellipse, .rect])
    func bothBuildsOfTheBandMixEqualTheScalarCoverage(shape: MaskShape) {
        let mask = FaceMask(box: BoundingBox(x1: 40.3, y1: 20.7, x2: 150.2, y2: 170.9), scale: 1.3, shape: shape)
        let picture = Self.noise(width: 200, height: 200, seed: 17)
        let effect = Array(picture.luma.reversed())
        var mixed = 0
        for scale: Float in [1, 2] {
            for y in stride(from: 0, to: 200, by: 3) {
                var parameters = mask.row(y: (Float(y) + 0.5) * scale)
                let original = Array(picture.luma[(y * 200)..<(y * 200 + 200)])
                let wanted = (0..<200).map { x -> UInt8 in
                    guard (3..<197).contains(x) else { return original[x] }
                    let alpha = mask.coverage(x: (Float(x) + 0.5) * scale, y: (Float(y) + 0.5) * scale)
                    let value = alpha * Float(effect[x]) + (1 - alpha) * Float(original[x])
                    return UInt8(min(255, max(0, value + 0.5)))
                }
                mixed += zip(wanted, original).filter { $0 != $1 }.count
                for build in [facestream_feather_mix, facestream_feather_mix_base] {
                    var row = original
                    build(&row, effect, 3, 197, &parameters, 0, scale)
                    #expect(row == wanted, "row \(y), scale \(scale)")
                }
            }
        }
        #expect(mixed > 1000)
    }

    /// The blur's row interpolation runs in C, built twice: both builds must equal the formula
    /// written out here, for rows that start and end inside intervals.
    @Test func bothBuildsOfTheRowInterpolationEqualTheFormula() {
        let (count, f) = (23, 7)
        let width = count * f - 3
        let upper = (0..<count).map { Int32(($0 * 37 + 11) % 256) }
        let lower = (0..<count).map { Int32(($0 * 91 + 5) % 256) }
        // Interval i holds columns firsts[i] ..< firsts[i + 1]; weights rise across each.
        let firsts = (0...count).map { Int32(min(width, $0 * f)) }
        let weights = (0..<width).map { Int32(($0 % f) * 256 / f) }
        for (from, to, t) in [(0, width, Int32(0)), (9, 150, 77), (20, 21, 256), (100, width, 3)] {
            let (first, last) = (from / f, (to - 1) / f)
            let line = (0...count).map { i in
                let k = min(i, count - 1)
                return upper[k] * (256 - t) + lower[k] * t
            }
            var wanted = [UInt8](repeating: 0, count: width)
            for x in from..<to {
                let i = x / f
                wanted[x] = UInt8((line[i] * 256 + 32_768 + (line[i + 1] - line[i]) * weights[x]) >> 16)
            }
            for build in [facestream_expand_row, facestream_expand_row_base] {
                var out = [UInt8](repeating: 0, count: width)
                var scratch = [Int32](repeating: -1, count: count + 1)
                build(upper, lower, t, &scratch, count, firsts, weights, first, last, from, to, &out)
                #expect(out == wanted, "columns \(from)..<\(to)")
            }
        }
    }

    /// The blur's block means run in C, built twice: both builds must equal the rounded means of
    /// the blocks summed pixel by pixel, on rows with padding.
    @Test(arguments: [(1, 9, 7), (2, 31, 20), (5, 23, 17), (16, 70, 33)])
    func bothBuildsOfTheBlockMeansEqualTheNaiveMeans(f: Int, w: Int, h: Int) {
        let stride = 80
        let bytes = Self.noise(width: 80, height: 40, seed: UInt32(f)).luma
        let (lw, lh) = ((w + f - 1) / f, (h + f - 1) / f)
        let wanted = (0..<(lw * lh)).map { index -> Int32 in
            let (i, j) = (index % lw, index / lw)
            let xs = (i * f)..<min(w, (i + 1) * f)
            let ys = (j * f)..<min(h, (j + 1) * f)
            let sum = ys.reduce(0) { total, y in xs.reduce(total) { $0 + Int(bytes[y * stride + $1]) } }
            let n = xs.count * ys.count
            return Int32((sum + n / 2) / n)
        }
        for build in [facestream_block_means, facestream_block_means_base] {
            var sums = [Int32](repeating: 0, count: w)
            var low = [Int32](repeating: -1, count: lw * lh)
            build(bytes, stride, w, h, f, &sums, &low)
            #expect(low == wanted, "f \(f), \(w)x\(h)")
        }
    }

    /// One box blur pass runs in C, built twice: both builds must equal rounded means computed
    /// with integer division, horizontally then vertically, with the window clamped at the edges.
    @Test(arguments: [(1, 1, 9), (13, 9, 2), (31, 22, 5), (40, 3, 11)])
    func bothBuildsOfTheBoxBlurPassEqualIntegerMeans(w: Int, h: Int, radius: Int) {
        let bytes = Self.noise(width: 40, height: 40, seed: UInt32(w + h)).luma
        let image = (0..<(w * h)).map { Int32(bytes[$0]) }
        func pass(_ a: [Int32], _ w: Int, _ h: Int, horizontal: Bool) -> [Int32] {
            (0..<(w * h)).map { index in
                let (x, y) = (index % w, index / w)
                let (p, size) = horizontal ? (x, w) : (y, h)
                let window = max(0, p - radius)...min(size - 1, p + radius)
                let sum = window.reduce(0) { $0 + Int(horizontal ? a[y * w + $1] : a[$1 * w + x]) }
                return Int32((sum + window.count / 2) / window.count)
            }
        }
        let wanted = pass(pass(image, w, h, horizontal: true), w, h, horizontal: false)
        let largest = min(max(w, h), 2 * radius + 1)
        let multipliers = (0...largest).map { n -> UInt32 in
            guard n >= 2 else { return 0 }
            let n = UInt64(n)
            return UInt32(((1 << 32) + n - 1) / n)
        }
        for build in [facestream_box_blur_pass, facestream_box_blur_pass_base] {
            var a = image
            var b = [Int32](repeating: 0, count: w * h)
            var sums = [Int32](repeating: 0, count: max(w, h))
            build(&a, &b, &sums, w, h, radius, multipliers)
            #expect(a == wanted, "\(w)x\(h), radius \(radius)")
        }
    }

    /// Naive reference: `passes` box blurs of `radius`, window clamped to the rectangle.
    static func referenceBlur(_ plane: [UInt8], width: Int, _ rect: PixelRect, radius: Int, passes: Int) -> [UInt8] {
        var values = (rect.y0..<rect.y1).map { y in (rect.x0..<rect.x1).map { x in Int(plane[y * width + x]) } }
        let (w, h) = (rect.width, rect.height)
        for _ in 0..<passes {
            values = values.map { row in
                (0..<w).map { x in
                    let window = max(0, x - radius)...min(w - 1, x + radius)
                    let n = window.count
                    return (window.reduce(0) { $0 + row[$1] } + n / 2) / n
                }
            }
            let columns = (0..<w).map { x in
                (0..<h).map { y in
                    let window = max(0, y - radius)...min(h - 1, y + radius)
                    let n = window.count
                    return (window.reduce(0) { $0 + values[$1][x] } + n / 2) / n
                }
            }
            values = (0..<h).map { y in (0..<w).map { x in columns[x][y] } }
        }
        var out = plane
        for y in 0..<h { for x in 0..<w { out[(rect.y0 + y) * width + rect.x0 + x] = UInt8(values[y][x]) } }
        return out
    }

    @Test(arguments: [(1, 1), (2, 3), (3, 3), (5, 2)])
    func fullResolutionBlurEqualsTheNaiveBoxBlur(radius: Int, passes: Int) {
        let picture = Self.noise(width: 62, height: 46, seed: UInt32(radius * 7 + passes))
        let rect = PixelRect(x0: 3, y0: 5, x1: 52, y1: 42)  // odd sizes, not at the origin
        let plane = Self.inPlace(picture.luma, width: 62) {
            PlaneKernels.blur($0, rect, radius: radius, passes: passes)
        }
        #expect(plane == Self.referenceBlur(picture.luma, width: 62, rect, radius: radius, passes: passes))
    }

    /// Naive reference of the strong blur: `f x f` block means (`f = radius / 3`, at most 16),
    /// the naive box blur on them with radius `radius / f` rounded, then per pixel the bilinear
    /// mix of the four nearest block values in 8-bit fixed point, as documented on
    /// `PlaneKernels.blur`.
    static func referenceReducedBlur(
        _ plane: [UInt8], width: Int, _ rect: PixelRect, radius: Int, passes: Int
    ) -> [UInt8] {
        let f = min(16, max(1, radius / 3))
        let (lw, lh) = ((rect.width + f - 1) / f, (rect.height + f - 1) / f)
        var low = [UInt8](repeating: 0, count: lw * lh)
        for j in 0..<lh {
            for i in 0..<lw {
                let ys = (rect.y0 + j * f)..<min(rect.y1, rect.y0 + (j + 1) * f)
                let xs = (rect.x0 + i * f)..<min(rect.x1, rect.x0 + (i + 1) * f)
                let sum = ys.reduce(0) { total, y in xs.reduce(total) { $0 + Int(plane[y * width + $1]) } }
                let n = ys.count * xs.count
                low[j * lw + i] = UInt8((sum + n / 2) / n)
            }
        }
        low = referenceBlur(
            low, width: lw, PixelRect(x0: 0, y0: 0, x1: lw, y1: lh), radius: max(1, (radius + f / 2) / f),
            passes: passes)
        func position(_ p: Int, _ count: Int) -> (Int, Int, Int) {
            let u = min(max((Float(p) + 0.5) / Float(f) - 0.5, 0), Float(count - 1))
            let i0 = Int(u)
            return (i0, min(i0 + 1, count - 1), Int(((u - Float(i0)) * 256).rounded()))
        }
        var out = plane
        for y in 0..<rect.height {
            let (j0, j1, t) = position(y, lh)
            for x in 0..<rect.width {
                let (i0, i1, s) = position(x, lw)
                func vertical(_ i: Int) -> Int { Int(low[j0 * lw + i]) * (256 - t) + Int(low[j1 * lw + i]) * t }
                let value = (vertical(i0) * (256 - s) + vertical(i1) * s + 32_768) >> 16
                out[(rect.y0 + y) * width + rect.x0 + x] = UInt8(value)
            }
        }
        return out
    }

    @Test(arguments: [(6, 1), (17, 3), (40, 3), (100, 2)])
    func strongBlurEqualsTheNaiveReducedBlur(radius: Int, passes: Int) {
        let picture = Self.noise(width: 240, height: 200, seed: UInt32(radius + passes))
        let rect = PixelRect(x0: 7, y0: 11, x1: 226, y1: 190)  // odd sizes, not multiples of f
        let plane = Self.inPlace(picture.luma, width: 240) {
            PlaneKernels.blur($0, rect, radius: radius, passes: passes)
        }
        #expect(plane == Self.referenceReducedBlur(picture.luma, width: 240, rect, radius: radius, passes: passes))
    }

    @Test func strongBlurOnAReducedCopyIsSmoothAndKeepsTheMean() {
        let picture = Self.noise(width: 240, height: 200, seed: 5)
        let rect = PixelRect(x0: 20, y0: 10, x1: 221, y1: 187)
        let plane = Self.inPlace(picture.luma, width: 240) { PlaneKernels.blur($0, rect, radius: 40, passes: 3) }
        let before = Self.variance(picture.luma, width: 240, 20..<221, 10..<187)
        let after = Self.variance(plane, width: 240, 20..<221, 10..<187)
        #expect(after < before / 100, "\(before) -> \(after)")
        func mean(_ p: [UInt8]) -> Double {
            (10..<187).reduce(0.0) { sum, y in (20..<221).reduce(sum) { $0 + Double(p[y * 240 + $1]) } } / (201 * 177)
        }
        #expect(abs(mean(plane) - mean(picture.luma)) < 2)
        // Outside the rectangle nothing moved.
        #expect(
            plane[5 * 240 + 5] == picture.luma[5 * 240 + 5] && plane[190 * 240 + 230] == picture.luma[190 * 240 + 230])
    }
}
