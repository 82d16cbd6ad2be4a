extension FaceMask {
    /// For the row of pixel centres at height `y`: how far from the centre column the coverage is
    /// still 1 (`inner`, nil when no pixel of the row is fully covered) and where it reaches 0
    /// (`outer`, nil when the whole row is uncovered), as horizontal distances from `centreX`.
    /// Lets a painter skip `coverage(x:y:)` except in the feather band; pixels within half a pixel
    /// of either bound should still be asked (the bounds are rounded floating point).
    func rowExtent(y: Float) -> (inner: Float?, outer: Float?) {
        let dy = abs(y - centreY)
        switch shape {
        case .rect:
            return (dy <= halfHeight ? halfWidth : nil, dy - halfHeight < feather ? halfWidth + feather : nil)
        case .ellipse:
            // Coverage 1 for r <= 1; 0 from (r - 1) * min(a, b) >= feather, i.e. r >= 1 + feather / min(a, b).
            let ny = dy / halfHeight
            let reach = 1 + feather / min(halfWidth, halfHeight)
            let inner = ny <= 1 ? halfWidth * (1 - ny * ny).squareRoot() : nil
            let outer = ny < reach ? halfWidth * (reach * reach - ny * ny).squareRoot() : nil
            return (inner, outer)
        }
    }
}
