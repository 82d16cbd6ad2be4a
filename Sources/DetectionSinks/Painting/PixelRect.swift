import VideoCore

/// A face box rounded outwards to whole pixels and clipped to a picture: columns `x0..<x1`, rows
/// `y0..<y1`. Nil when nothing of the box lies inside the picture (or a corner is not finite).
struct PixelRect: Equatable {
    let x0: Int
    let y0: Int
    let x1: Int
    let y1: Int

    var width: Int { x1 - x0 }
    var height: Int { y1 - y0 }

    init(x0: Int, y0: Int, x1: Int, y1: Int) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    /// Clips `box` to a `width`x`height` picture.
    init?(clipping box: BoundingBox, width: Int, height: Int) {
        let corners = [box.x1, box.y1, box.x2, box.y2]
        guard corners.allSatisfy(\.isFinite), box.x2 > box.x1, box.y2 > box.y1 else { return nil }
        // Clamp in floating point first: Int(_:) traps on values beyond its range.
        func clamp(_ value: Float, _ limit: Int) -> Int { Int(min(max(value, 0), Float(limit))) }
        x0 = clamp(box.x1.rounded(.down), width)
        y0 = clamp(box.y1.rounded(.down), height)
        x1 = clamp(box.x2.rounded(.up), width)
        y1 = clamp(box.y2.rounded(.up), height)
        guard x1 > x0, y1 > y0 else { return nil }
    }
}
