/// The rows and columns of a `width x height` picture that a consumer reads: the pixels at their
/// crossings are all it needs (the face detector's resize to its network input, for example).
public struct SampleGrid: Sendable, Equatable {
    /// Width of the whole picture in pixels.
    public let width: Int
    /// Height of the whole picture in pixels.
    public let height: Int
    /// Picture rows read, ascending, each in `0..<height`.
    public let rows: [Int]
    /// Picture columns read, ascending, each in `0..<width`.
    public let columns: [Int]

    /// Wraps the rows and columns; traps when they are not ascending or fall outside the picture.
    public init(width: Int, height: Int, rows: [Int], columns: [Int]) {
        precondition(
            Self.ascending(rows, below: height) && Self.ascending(columns, below: width),
            "SampleGrid of \(width)x\(height): rows and columns must ascend within the picture")
        self.width = width
        self.height = height
        self.rows = rows
        self.columns = columns
    }

    private static func ascending(_ values: [Int], below limit: Int) -> Bool {
        zip(values, values.dropFirst()).allSatisfy { $0 < $1 } && (values.first ?? 0) >= 0
            && (values.last ?? 0) < limit
    }
}
