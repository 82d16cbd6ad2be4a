/// The SSD priors (anchors) of the UltraFace networks for one input size, normalised to 0...1.
///
/// Four levels with strides 8, 16, 32, 64 and min box sizes (10, 16, 24), (32, 48), (64, 96),
/// (128, 192, 256) pixels. For level `l` the feature map is `ceil(W / stride) x ceil(H / stride)`;
/// the prior at column `c`, row `r`, min box `m` is
/// `cx = (c + 0.5) / fmW`, `cy = (r + 0.5) / fmH`, `w = m / W`, `h = m / H` (computed in double, as the
/// reference does in Python, then rounded to float32 and clamped to 0...1). Order: level, row, column,
/// min box. This is the "/ feature-map size" form the graphs embed, not the "c * stride / W" form.
public struct PriorBoxes: Sendable, Equatable {
    /// Strides of the four detection levels, in input pixels.
    public static let strides = [8, 16, 32, 64]
    /// Min box sizes of each level, in input pixels.
    public static let minBoxes: [[Int]] = [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]]

    /// Network input width in pixels.
    public let inputWidth: Int
    /// Network input height in pixels.
    public let inputHeight: Int
    /// `count * 4` floats: cx, cy, w, h per prior.
    public let values: [Float]

    /// Number of priors.
    public var count: Int { values.count / 4 }

    /// Generates the priors for a `width x height` network input.
    public init(inputWidth width: Int, inputHeight height: Int) {
        precondition(width > 0 && height > 0, "priors need a positive input size, got \(width)x\(height)")
        inputWidth = width
        inputHeight = height
        var values: [Float] = []
        for (level, stride) in Self.strides.enumerated() {
            let mapWidth = (width + stride - 1) / stride
            let mapHeight = (height + stride - 1) / stride
            let boxes = Self.minBoxes[level]
            values.reserveCapacity(values.count + mapWidth * mapHeight * boxes.count * 4)
            for row in 0..<mapHeight {
                let centerY = Self.unit((Double(row) + 0.5) / Double(mapHeight))
                for column in 0..<mapWidth {
                    let centerX = Self.unit((Double(column) + 0.5) / Double(mapWidth))
                    for box in boxes {
                        values.append(centerX)
                        values.append(centerY)
                        values.append(Self.unit(Double(box) / Double(width)))
                        values.append(Self.unit(Double(box) / Double(height)))
                    }
                }
            }
        }
        self.values = values
    }

    /// Rounds to float32 and clamps to 0...1.
    private static func unit(_ value: Double) -> Float { min(max(Float(value), 0), 1) }
}
