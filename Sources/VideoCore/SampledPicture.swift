/// The RGB pixels of a picture at a `SampleGrid`'s crossings: pixel `(j, i)` of `pixels` is pixel
/// `(grid.columns[j], grid.rows[i])` of the whole picture, with the same bytes the whole picture's
/// conversion has there. 640x480 pixels (0.9 MB) for the face detector's grid on 1080p video,
/// against 3 MB for 4:2:0 planes and 6 MB for RGB.
public struct SampledPicture: Sendable {
    /// Where the pixels come from.
    public let grid: SampleGrid
    /// `grid.columns.count x grid.rows.count` packed RGB pixels.
    public let pixels: RGBImage

    /// Wraps sampled pixels; traps when their size does not match the grid.
    public init(grid: SampleGrid, pixels: RGBImage) {
        precondition(
            pixels.width == grid.columns.count && pixels.height == grid.rows.count,
            "SampledPicture: \(pixels.width)x\(pixels.height) pixels for a grid of \(grid.columns.count)x\(grid.rows.count)"
        )
        self.grid = grid
        self.pixels = pixels
    }
}
