/// Copies of short rows (up to a few hundred floats) with SIMD8 loads and stores, where a
/// library call per row would cost more than the copy.
enum VectorCopy {
    /// `destination[0 ..< count] = source[0 ..< count]`; the ranges must not overlap. Rows of at
    /// least 8 floats end with a vector overlapping the previous one.
    @inline(__always)
    static func copy(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        if count < 8 {
            for x in 0..<count { destination[x] = source[x] }
            return
        }
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(destination)
        let last = (count - 8) * MemoryLayout<Float>.stride
        var x = 0
        while x < last {
            to.storeBytes(
                of: from.loadUnaligned(fromByteOffset: x, as: SIMD8<Float>.self), toByteOffset: x, as: SIMD8<Float>.self
            )
            x += 32
        }
        to.storeBytes(
            of: from.loadUnaligned(fromByteOffset: last, as: SIMD8<Float>.self), toByteOffset: last,
            as: SIMD8<Float>.self)
    }
}
