import VideoCore

/// The planes of a decoded 4:2:0 picture opened for painting: the annotated video copies the
/// decoder's planes into the encoder's frame and marks and hides faces there, with no RGB
/// conversion either way (a copy of the picture for segments and tests: `painting(_:_:)`).
///
/// Luma is painted at full resolution, chroma at half; a rectangle of the picture covers the
/// chroma samples of the 2x2 blocks it touches. Colours given as RGB are converted with the
/// picture's own matrix and range (`YUV420Picture.coefficients`), so black is luma 16 in
/// limited-range video and 0 in full-range video, chroma 128.
struct YUV420Canvas: PaintSurface {
    /// The planes painted on, lent by their owner (the encoder's frame, or a copy of a picture)
    /// for as long as this canvas is used: a canvas lives only inside the call that lends them.
    let planes: MutableYUV420Planes
    let coefficients: YUVToRGBCoefficients
    let matrixCode: Int

    var width: Int { planes.width }
    var height: Int { planes.height }

    /// A canvas on `planes`, with the matrix and range of `picture` (the picture they hold).
    init(_ planes: MutableYUV420Planes, of picture: YUV420Picture) {
        self.planes = planes
        coefficients = picture.coefficients
        matrixCode = picture.matrixCode
    }

    /// A copy of `picture` painted by `body`.
    static func painting(_ picture: YUV420Picture, _ body: (inout YUV420Canvas) -> Void) -> YUV420Picture {
        picture.painted { planes in
            var canvas = YUV420Canvas(planes, of: picture)
            body(&canvas)
        }
    }

    /// The luma and chroma values of `color` in this picture's matrix and range.
    func yuv(_ color: (UInt8, UInt8, UInt8)) -> (y: UInt8, u: UInt8, v: UInt8) {
        // The conversion (YUVToRGBCoefficients) is, per byte, R = L + kR * V', G = L + kGv * V' +
        // kGu * U', B = L + kB * U' with U' = U - 128, V' = V - 128, k = coefficient * 2^9 / 2^22 and
        // L = (2^9 * Y - yOffset) * yScale / 2^22. Solved here for L, U', V'.
        let k = coefficients
        let unit = 512.0 / 4_194_304.0
        let (kR, kGv, kGu, kB) = (
            Double(k.vToRed) * unit, Double(k.vToGreen) * unit, Double(k.uToGreen) * unit, Double(k.uToBlue) * unit
        )
        let (r, g, b) = (Double(color.0), Double(color.1), Double(color.2))
        let l = (g - kGv * r / kR - kGu * b / kB) / (1 - kGv / kR - kGu / kB)
        let y = (l * 4_194_304.0 / Double(k.yScale) + Double(k.yOffset)) / 512
        func byte(_ value: Double) -> UInt8 { UInt8(min(255, max(0, value.rounded()))) }
        return (byte(y), byte(128 + (b - l) / kB), byte(128 + (r - l) / kR))
    }

    /// The chroma samples of the 2x2 blocks `rect` touches.
    static func chromaRect(_ rect: PixelRect) -> PixelRect {
        PixelRect(x0: rect.x0 / 2, y0: rect.y0 / 2, x1: (rect.x1 + 1) / 2, y1: (rect.y1 + 1) / 2)
    }

    /// Fills `rect` with `color` (luma exactly, chroma over the blocks it touches).
    mutating func fill(_ rect: PixelRect, with color: (UInt8, UInt8, UInt8)) {
        let value = yuv(color)
        fill(rect, y: value.y, u: value.u, v: value.v)
    }

    /// Fills `rect` with the given plane values.
    mutating func fill(_ rect: PixelRect, y: UInt8, u: UInt8, v: UInt8) {
        let chroma = Self.chromaRect(rect)
        PlaneKernels.fill(planes.luma, rect, value: y)
        PlaneKernels.fill(planes.blueDifference, chroma, value: u)
        PlaneKernels.fill(planes.redDifference, chroma, value: v)
    }

    /// Black in this picture's range: luma 16 (limited) or 0 (full), chroma 128.
    var black: (y: UInt8, u: UInt8, v: UInt8) { (yuv((0, 0, 0)).y, 128, 128) }

    /// Makes the whole picture black (fail-closed).
    mutating func fillBlack() {
        fill(PixelRect(x0: 0, y0: 0, x1: width, y1: height), y: black.y, u: 128, v: 128)
    }

    /// Paints the runs of privacy zones black; the chroma of every 2x2 block a run touches is made
    /// neutral.
    mutating func paint(_ zones: ZoneFill) {
        precondition(zones.width == width && zones.height == height, "zone fill made for another frame size")
        let value = black
        for span in zones.spans {
            fill(PixelRect(x0: span.x0, y0: span.y, x1: span.x1, y1: span.y + 1), y: value.y, u: value.u, v: value.v)
        }
    }
}
