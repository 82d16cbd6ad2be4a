import VideoCore

/// The pixels of privacy zones for one frame size, as runs of whole rows: computed once per size
/// (scanline crossings, even-odd rule at pixel centres), then filled on every frame at the cost
/// of a fill.
struct ZoneFill {
    /// One run: row `y`, columns `x0..<x1`.
    struct Span: Equatable {
        let y: Int
        let x0: Int
        let x1: Int
    }

    let width: Int
    let height: Int
    let spans: [Span]

    /// The runs of `zones` in a `width` x `height` picture.
    init(zones: [Zone], width: Int, height: Int) {
        self.width = width
        self.height = height
        var spans: [Span] = []
        var crossings: [Float] = []
        for zone in zones {
            let polygon = zone.polygon(width: width, height: height)
            let bounds = polygon.bounds
            let top = max(0, Int(bounds.y1.rounded(.down)))
            let bottom = min(height, Int(bounds.y2.rounded(.up)))
            guard top < bottom else { continue }
            let points = polygon.points
            for y in top..<bottom {
                let centre = Float(y) + 0.5
                crossings.removeAll(keepingCapacity: true)
                var previous = points.count - 1
                for current in points.indices {
                    let (xi, yi) = points[current]
                    let (xj, yj) = points[previous]
                    if (yi > centre) != (yj > centre) { crossings.append((xj - xi) * (centre - yi) / (yj - yi) + xi) }
                    previous = current
                }
                crossings.sort()
                // Pixels whose centre x + 0.5 lies between crossing pairs: x from ceil(a - 0.5) to below ceil(b - 0.5).
                var pair = 0
                while pair + 1 < crossings.count {
                    let x0 = max(0, Int((crossings[pair] - 0.5).rounded(.up)))
                    let x1 = min(width, Int((crossings[pair + 1] - 0.5).rounded(.up)))
                    if x1 > x0 { spans.append(Span(y: y, x0: x0, x1: x1)) }
                    pair += 2
                }
            }
        }
        self.spans = spans
    }

    /// Paints every run black.
    func paint(_ image: inout RGBImage) {
        precondition(image.width == width && image.height == height, "zone fill made for another frame size")
        let rowBytes = image.bytesPerRow
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for span in spans {
                let start = span.y * rowBytes + span.x0 * 3
                for i in start..<(start + (span.x1 - span.x0) * 3) { pixels[i] = 0 }
            }
        }
    }
}
