import CPixelKernels
import TestSupport
import Testing

/// The YUV->RGB matrix loop is compiled twice (AVX2 and base x86-64) and the loader picks one; on
/// an AVX2 machine the base build never runs in the other tests, so it is compared here with the
/// dispatched one on random rows, including coefficients that make the 32-bit sums wrap.
struct PixelKernelBuildsTests {
    /// Runs one kernel on the given rows and returns the packed pixels.
    static func run(
        _ kernel: (
            UnsafePointer<Int32>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?,
            UnsafePointer<Int32>?, Int32, UnsafePointer<facestream_yuv_matrix>?, UnsafeMutablePointer<UInt32>?, Int
        ) -> Void,
        rows: [[Int32]], second: Bool, matrix: facestream_yuv_matrix
    ) -> [UInt32] {
        var packed = [UInt32](repeating: 0xDEAD_BEEF, count: rows[0].count)
        withUnsafePointer(to: matrix) { m in
            kernel(rows[0], rows[1], rows[2], rows[3], rows[4], second ? 1 : 0, m, &packed, rows[0].count)
        }
        return packed
    }

    @Test(arguments: [false, true])
    func baseBuildEqualsDispatchedBuild(second: Bool) {
        var rng = SeededGenerator(seed: second ? 91 : 92)
        // One matrix with small coefficients (no sum wraps), then random ones large enough to wrap.
        var matrices = [
            facestream_yuv_matrix(
                y_offset: 1 << 16, y_scale: 9_535, v_to_red: 13_074, v_to_green: -6_660, u_to_green: -3_209,
                u_to_blue: 16_525)
        ]
        for _ in 0..<4 {
            matrices.append(
                facestream_yuv_matrix(
                    y_offset: Int32.random(in: -1 << 20...1 << 20, using: &rng),
                    y_scale: Int32.random(in: -1 << 16...1 << 16, using: &rng),
                    v_to_red: Int32.random(in: -1 << 16...1 << 16, using: &rng),
                    v_to_green: Int32.random(in: -1 << 16...1 << 16, using: &rng),
                    u_to_green: Int32.random(in: -1 << 16...1 << 16, using: &rng),
                    u_to_blue: Int32.random(in: -1 << 16...1 << 16, using: &rng)))
        }
        for count in [1, 7, 8, 9, 640, 1_283] {
            // Luma 0...255; filtered chroma up to (255 * 4) << 5, with the extremes at the start.
            var rows = [(0..<count).map { _ in Int32.random(in: 0...255, using: &rng) }]
            for _ in 0..<4 { rows.append((0..<count).map { _ in Int32.random(in: 0...32_640, using: &rng) }) }
            rows[0][0] = 255
            rows[1][0] = 0
            rows[2][0] = 32_640
            for matrix in matrices {
                let dispatched = Self.run(facestream_yuv_matrix_row, rows: rows, second: second, matrix: matrix)
                let base = Self.run(facestream_yuv_matrix_row_base, rows: rows, second: second, matrix: matrix)
                #expect(dispatched == base, "count \(count), matrix \(matrix)")
                #expect(dispatched.allSatisfy { $0 >> 24 == 0 }, "every pixel written, top byte clear")
            }
        }
    }
}
