/// Checked arithmetic on shapes, so that hostile dimensions throw instead of overflowing.
enum ShapeMath {
    /// Product of `shape`, throwing when a dimension is negative or the product exceeds `limit` elements.
    static func elementCount(_ shape: [Int], limit: Int, node: String?) throws(EngineError) -> Int {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else {
                throw EngineError(.shapeMismatch, node: node, "negative dimension in shape \(shape)")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= limit else {
                throw EngineError(.tooLarge, node: node, "shape \(shape) exceeds the limit of \(limit) elements")
            }
            count = product
        }
        return count
    }

    /// Row-major strides in elements.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var stride = 1
        for axis in shape.indices.reversed() {
            strides[axis] = stride
            stride *= shape[axis]
        }
        return strides
    }

    /// Normalises a possibly negative axis against `rank`, throwing when out of range.
    static func axis(_ axis: Int, rank: Int, node: String) throws(EngineError) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 0, normalized < rank else {
            throw EngineError(.shapeMismatch, node: node, "axis \(axis) is out of range for rank \(rank)")
        }
        return normalized
    }

    /// Numpy broadcasting of two shapes, or nil when they are incompatible.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let da = index < rank - a.count ? 1 : a[index - (rank - a.count)]
            let db = index < rank - b.count ? 1 : b[index - (rank - b.count)]
            if da == db || db == 1 {
                result[index] = da
            } else if da == 1 {
                result[index] = db
            } else {
                return nil
            }
        }
        return result
    }
}
