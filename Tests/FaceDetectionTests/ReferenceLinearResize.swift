import TestSupport
import VideoCore

/// Straightforward, safe-code reference of OpenCV's 8-bit INTER_LINEAR resize, written from the rules
/// (not from the optimised code): per target pixel, compute both source positions, the 11-bit weights,
/// the horizontal sums of the two source rows and the vertical blend.
enum ReferenceLinearResize {
    static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        func taps(_ index: Int, source: Int, target: Int, clampFraction: Bool) -> (Int, Int, Int, Int) {
            let scale = 1.0 / (Double(target) / Double(source))
            let exact = Float((Double(index) + 0.5) * scale - 0.5)
            var start = Int(exact.rounded(.down))
            var fraction = exact - Float(start)
            if clampFraction && start < 0 { (start, fraction) = (0, 0) }
            if clampFraction && start >= source - 1 { (start, fraction) = (source - 1, 0) }
            let w0 = Int(((1 - fraction) * 2048).rounded(.toNearestOrEven))
            let w1 = Int((fraction * 2048).rounded(.toNearestOrEven))
            return (min(max(start, 0), source - 1), min(max(start + 1, 0), source - 1), w0, w1)
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let (row0, row1, b0, b1) = taps(y, source: image.height, target: height, clampFraction: false)
            for x in 0..<width {
                let (col0, col1, a0, a1) = taps(x, source: image.width, target: width, clampFraction: true)
                for channel in 0..<3 {
                    func sample(_ row: Int, _ column: Int) -> Int {
                        Int(image.pixels[(row * image.width + column) * 3 + channel])
                    }
                    let top = sample(row0, col0) * a0 + sample(row0, col1) * a1
                    let bottom = sample(row1, col0) * a0 + sample(row1, col1) * a1
                    let value = (((b0 * (top >> 4)) >> 16) + ((b1 * (bottom >> 4)) >> 16) + 2) >> 2
                    pixels[(y * width + x) * 3 + channel] = UInt8(min(255, max(0, value)))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}

extension RGBImage {
    /// A picture of uniformly random bytes.
    static func random(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var generator = SeededGenerator(seed: seed)
        return RGBImage(
            width: width, height: height,
            pixels: (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
