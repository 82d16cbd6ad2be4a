import VideoCore

/// Glyphs 3 pixels wide and 5 high for the score labels of `.box`: digits and the decimal point.
/// Each glyph is five rows of three bits, most significant bit on the left.
enum LabelFont {
    static let width = 3
    static let height = 5
    static let glyphs: [Character: [UInt8]] = [
        "0": [0b111, 0b101, 0b101, 0b101, 0b111],
        "1": [0b010, 0b110, 0b010, 0b010, 0b111],
        "2": [0b111, 0b001, 0b111, 0b100, 0b111],
        "3": [0b111, 0b001, 0b111, 0b001, 0b111],
        "4": [0b101, 0b101, 0b111, 0b001, 0b001],
        "5": [0b111, 0b100, 0b111, 0b001, 0b111],
        "6": [0b111, 0b100, 0b111, 0b101, 0b111],
        "7": [0b111, 0b001, 0b010, 0b010, 0b010],
        "8": [0b111, 0b101, 0b111, 0b101, 0b111],
        "9": [0b111, 0b101, 0b111, 0b001, 0b111],
        ".": [0b000, 0b000, 0b000, 0b000, 0b010],
    ]
}

extension FramePainter {
    /// The score as the label shows it: two decimals, "1.00" at most.
    static func labelText(score: Float) -> String {
        let hundredths = Int((min(max(score, 0), 1) * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }

    /// Writes `text` on a filled background just above `rect` (inside it when there is no room
    /// above), scaled `scale` times, clipped to the image.
    func drawLabel(_ image: inout some PaintSurface, _ text: String, above rect: PixelRect, scale: Int) {
        let glyphWidth = (LabelFont.width + 1) * scale
        let boxWidth = glyphWidth * text.count + scale
        let boxHeight = (LabelFont.height + 2) * scale
        let top = rect.y0 - boxHeight >= 0 ? rect.y0 - boxHeight : rect.y0
        let background = PixelRect(
            x0: rect.x0, y0: top, x1: min(image.width, rect.x0 + boxWidth), y1: min(image.height, top + boxHeight))
        guard background.x1 > background.x0, background.y1 > background.y0 else { return }
        fill(&image, background, with: outlineColor)
        // Glyph pixel (gx, gy) of character i covers the square at
        // x = x0 + scale + i * glyphWidth + gx * scale, y = top + scale + gy * scale.
        for (i, character) in text.enumerated() {
            guard let rows = LabelFont.glyphs[character] else { continue }
            for (gy, bits) in rows.enumerated() {
                for gx in 0..<LabelFont.width where bits & (1 << (LabelFont.width - 1 - gx)) != 0 {
                    let x = rect.x0 + scale + i * glyphWidth + gx * scale
                    let y = top + scale + gy * scale
                    let square = PixelRect(
                        x0: min(x, image.width), y0: min(y, image.height),
                        x1: min(x + scale, image.width), y1: min(y + scale, image.height))
                    if square.x1 > square.x0, square.y1 > square.y0 { fill(&image, square, with: (0, 0, 0)) }
                }
            }
        }
    }
}
