import VideoCore

/// Marks faces in a picture for the annotated video (`--annotate`): outlines them or hides them.
///
/// Pure Swift, no allocation beyond a scratch copy of each blurred face. Boxes may reach outside
/// the picture or be empty: they are clipped, and what falls outside is ignored.
public struct FramePainter: Sendable {
    /// Outline colour for `.box`, as red, green, blue.
    public var outlineColor: (red: UInt8, green: UInt8, blue: UInt8)
    /// Outline thickness in pixels for `.box`.
    public var outlineThickness: Int
    /// Blur passes for `.blur`; three box-blur passes approach a Gaussian.
    public var blurPasses: Int
    /// `.box` also writes the score ("0.99") in a small label above the box.
    public var showsScore: Bool

    /// A painter with a 3 px bright green outline and three blur passes.
    public init(
        outlineColor: (red: UInt8, green: UInt8, blue: UInt8) = (0, 255, 0), outlineThickness: Int = 3,
        blurPasses: Int = 3, showsScore: Bool = false
    ) {
        self.showsScore = showsScore
        self.outlineColor = outlineColor
        self.outlineThickness = max(1, outlineThickness)
        self.blurPasses = max(1, blurPasses)
    }

    /// Paints every face of `faces` onto `image` in `style`. Cost per frame: proportional to the face
    /// area (blur: `passes` x 2 sweeps of it).
    public func paint(_ image: inout RGBImage, faces: [Detection], style: AnnotationStyle) {
        for face in faces {
            guard let rect = PixelRect(clipping: face.box, width: image.width, height: image.height) else { continue }
            // Sizes of the hiding effects follow the whole face, not only its visible part.
            // (Clamped in floating point: a wild box must not overflow Int.)
            let faceSize = Int(min(max(min(face.box.width, face.box.height), 1), 100_000))
            switch style {
            case .box:
                outline(&image, rect)
                guard showsScore else { continue }
                drawLabel(&image, Self.labelText(score: face.score), above: rect, scale: max(1, min(4, faceSize / 40)))
            case .blur: blur(&image, rect, radius: max(1, faceSize / 6), passes: blurPasses)
            case .pixelate: pixelate(&image, rect, block: max(2, faceSize / 8))
            case .solid: fill(&image, rect, with: (0, 0, 0))
            }
        }
    }

    /// Draws the rectangle's border, `outlineThickness` pixels wide, inside the clipped rectangle.
    func outline(_ image: inout some PaintSurface, _ rect: PixelRect) {
        let t = min(outlineThickness, rect.width, rect.height)
        let sides = [
            PixelRect(x0: rect.x0, y0: rect.y0, x1: rect.x1, y1: rect.y0 + t),
            PixelRect(x0: rect.x0, y0: rect.y1 - t, x1: rect.x1, y1: rect.y1),
            PixelRect(x0: rect.x0, y0: rect.y0, x1: rect.x0 + t, y1: rect.y1),
            PixelRect(x0: rect.x1 - t, y0: rect.y0, x1: rect.x1, y1: rect.y1),
        ]
        for side in sides { fill(&image, side, with: outlineColor) }
    }

    /// Sets every pixel of `rect` to `color`.
    func fill(_ image: inout some PaintSurface, _ rect: PixelRect, with color: (UInt8, UInt8, UInt8)) {
        image.fill(rect, with: color)
    }
}
