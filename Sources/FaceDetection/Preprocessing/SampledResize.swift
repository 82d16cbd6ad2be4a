import VideoCore

/// A resize that reads only the source rows and columns its taps touch: `rows` and `columns`
/// list them (ascending), and `resizer` gives the same result as the full-size resizer when run
/// on the compact picture made of just those pixels (`columns.count x rows.count`).
///
/// Downscaling 1920x1080 to 320x240 touches 640 columns of 480 rows, 15 % of the pixels, so a
/// source that converts pixels on demand (4:2:0 video) converts only those.
struct SampledResize: Sendable {
    /// Full source size.
    let sourceWidth: Int
    let sourceHeight: Int
    /// Source rows read, ascending.
    let rows: [Int]
    /// Source columns read, ascending.
    let columns: [Int]
    /// The resize of the compact picture.
    let resizer: LinearResizer

    /// The rows and columns as a grid a source can sample.
    var grid: SampleGrid { SampleGrid(width: sourceWidth, height: sourceHeight, rows: rows, columns: columns) }

    /// The sampled form of `full`.
    init(_ full: LinearResizer) {
        sourceWidth = full.sourceWidth
        sourceHeight = full.sourceHeight
        let (columnAxis, columns) = full.columns.compacted()
        let (rowAxis, rows) = full.rows.compacted()
        self.columns = columns
        self.rows = rows
        resizer = LinearResizer(
            sourceWidth: columns.count, sourceHeight: rows.count, columns: columnAxis, rows: rowAxis)
    }
}

extension LinearResizeAxis {
    /// The source positions the taps read (ascending) and the axis with its taps renumbered into them.
    func compacted() -> (axis: LinearResizeAxis, used: [Int]) {
        let used = Set(firstTap + secondTap).sorted()
        var position = [Int32: Int32]()
        for (index, tap) in used.enumerated() { position[tap] = Int32(index) }
        var axis = self
        axis.firstTap = firstTap.map { position[$0]! }
        axis.secondTap = secondTap.map { position[$0]! }
        return (axis, used.map(Int.init))
    }
}
