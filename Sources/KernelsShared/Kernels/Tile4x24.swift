import NeuralKernelsCore

/// The 4 x 24 register block the matrix-product kernels share (`MatrixProduct`, `ShiftedRowBlock`,
/// `StemConvolution3x3`): 12 SIMD8 accumulators for output rows `r < 4` and columns `0 ..< 24`.
/// Each step reads 24 consecutive floats of the input (three vectors) and four weights (one per
/// row, broadcast) and does 12 fused multiply-adds; the kernels differ only in where those come
/// from and where the results go. Everything is `@inline(__always)` so the accumulators stay in
/// registers inside the caller's loop.
struct Tile4x24 {
    var c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32: SIMD8<Float>

    /// Every accumulator of row `r` starts at `bias[r]` (4 floats read).
    @inline(__always)
    init(bias: UnsafePointer<Float>) {
        let b0 = SIMD8<Float>(repeating: bias[0])
        let b1 = SIMD8<Float>(repeating: bias[1])
        let b2 = SIMD8<Float>(repeating: bias[2])
        let b3 = SIMD8<Float>(repeating: bias[3])
        (c00, c01, c02) = (b0, b0, b0)
        (c10, c11, c12) = (b1, b1, b1)
        (c20, c21, c22) = (b2, b2, b2)
        (c30, c31, c32) = (b3, b3, b3)
    }

    /// Row r += weights[r] * input[0 ..< 24]: `input` holds 24 floats (any alignment), `weights` 4.
    @inline(__always)
    mutating func add(_ input: UnsafeRawPointer, _ weights: UnsafePointer<Float>) {
        let v0 = input.loadUnaligned(as: SIMD8<Float>.self)
        let v1 = input.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        let v2 = input.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
        let w0 = SIMD8<Float>(repeating: weights[0])
        c00 = multiplyAdd(c00, v0, w0)
        c01 = multiplyAdd(c01, v1, w0)
        c02 = multiplyAdd(c02, v2, w0)
        let w1 = SIMD8<Float>(repeating: weights[1])
        c10 = multiplyAdd(c10, v0, w1)
        c11 = multiplyAdd(c11, v1, w1)
        c12 = multiplyAdd(c12, v2, w1)
        let w2 = SIMD8<Float>(repeating: weights[2])
        c20 = multiplyAdd(c20, v0, w2)
        c21 = multiplyAdd(c21, v1, w2)
        c22 = multiplyAdd(c22, v2, w2)
        let w3 = SIMD8<Float>(repeating: weights[3])
        c30 = multiplyAdd(c30, v0, w3)
        c31 = multiplyAdd(c31, v1, w3)
        c32 = multiplyAdd(c32, v2, w3)
    }

    /// Hands the first `rows` rows to `store(row, columnOffset, value)`, columns 0, 8 and 16 of each.
    @inline(__always)
    func forEachVector(rows: Int = 4, _ store: (_ row: Int, _ column: Int, _ value: SIMD8<Float>) -> Void) {
        store(0, 0, c00)
        store(0, 8, c01)
        store(0, 16, c02)
        guard rows > 1 else { return }
        store(1, 0, c10)
        store(1, 8, c11)
        store(1, 16, c12)
        guard rows > 2 else { return }
        store(2, 0, c20)
        store(2, 8, c21)
        store(2, 16, c22)
        guard rows > 3 else { return }
        store(3, 0, c30)
        store(3, 8, c31)
        store(3, 16, c32)
    }
}
