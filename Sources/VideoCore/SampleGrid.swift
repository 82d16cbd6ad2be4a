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

/// Which pixels a consumer reads of a picture of any size, so a source can hand out just those
/// (`SampledPicture`) instead of whole frames. Called once per picture size, on the source's thread.
///
/// With a `reducer`, the source also runs the consumer's own reduction of those pixels (the face
/// detector's resize to its network input) on its thread, and frames carry only the result
/// (`SampledPicture.isReduced`): 320x240 pixels (0.23 MB) instead of the grid's 640x480 on 1080p.
public struct PixelSampling: Sendable {
    /// The grid read in a `width x height` picture.
    public let grid: @Sendable (_ width: Int, _ height: Int) -> SampleGrid
    /// Makes, once per grid and on the source's thread, the function that turns the grid's pixels
    /// (`grid.columns.count x grid.rows.count`) into what the consumer keeps. The function is called
    /// once per frame on that thread only, so it may keep scratch memory between calls.
    public let reducer: (@Sendable (SampleGrid) -> (RGBImage) -> RGBImage)?

    /// Sampling by `grid`, which must return a grid of the size it is given; `reducer` as above.
    public init(
        _ grid: @escaping @Sendable (_ width: Int, _ height: Int) -> SampleGrid,
        reducer: (@Sendable (SampleGrid) -> (RGBImage) -> RGBImage)? = nil
    ) {
        self.grid = grid
        self.reducer = reducer
    }
}
