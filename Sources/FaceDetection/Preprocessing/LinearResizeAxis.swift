/// Source taps and fixed-point weights of one axis of OpenCV's 8-bit `INTER_LINEAR` resize.
///
/// For target index `d` the source position is `f = Float((d + 0.5) * scale - 0.5)` with
/// `scale = 1 / (Double(target) / Double(source))` (OpenCV's double arithmetic, then float),
/// `s = floor(f)`, weights `round((1 - (f - s)) * 2048)` and `round((f - s) * 2048)` (11 fraction bits,
/// round half to even). Taps are `clamp(s)` and `clamp(s + 1)` into `0..<source`.
///
/// The two axes differ at the borders, as in OpenCV: the horizontal axis resets the fraction to 0
/// where `s < 0` or `s >= source - 1` (weights 2048, 0); the vertical axis keeps the fraction and only
/// clamps the row indices, which changes the rounding of the vertical pass on the first and last rows.
struct LinearResizeAxis: Sendable, Equatable {
    /// Fixed-point weight of 1.0 (`INTER_RESIZE_COEF_SCALE`).
    static let one: Int32 = 2048

    /// First source tap of each target index.
    var firstTap: [Int32]
    /// Second source tap of each target index (equal to the first at a clamped border).
    var secondTap: [Int32]
    /// Weight of the first tap, out of 2048.
    var firstWeight: [Int32]
    /// Weight of the second tap, out of 2048.
    var secondWeight: [Int32]

    /// Which border rule applies: the horizontal and vertical passes of OpenCV treat borders differently.
    enum Direction: Sendable {
        case horizontal, vertical
    }

    init(source: Int, target: Int, direction: Direction) {
        precondition(source > 0 && target > 0, "resize axis needs positive sizes, got \(source) -> \(target)")
        let scale = 1.0 / (Double(target) / Double(source))
        firstTap = []
        secondTap = []
        firstWeight = []
        secondWeight = []
        firstTap.reserveCapacity(target)
        secondTap.reserveCapacity(target)
        firstWeight.reserveCapacity(target)
        secondWeight.reserveCapacity(target)
        for index in 0..<target {
            var position = Float((Double(index) + 0.5) * scale - 0.5)
            var start = Int(position.rounded(.down))
            position -= Float(start)
            if direction == .horizontal {
                if start < 0 {
                    start = 0
                    position = 0
                }
                if start >= source - 1 {
                    start = source - 1
                    position = 0
                }
            }
            firstTap.append(Int32(min(max(start, 0), source - 1)))
            secondTap.append(Int32(min(max(start + 1, 0), source - 1)))
            firstWeight.append(Self.fixedPoint(1 - position))
            secondWeight.append(Self.fixedPoint(position))
        }
    }

    /// `saturate_cast<short>(weight * 2048)`: float product, rounded half to even.
    private static func fixedPoint(_ weight: Float) -> Int32 {
        let scaled = (weight * Float(one)).rounded(.toNearestOrEven)
        return Int32(min(max(scaled, Float(Int16.min)), Float(Int16.max)))
    }
}
