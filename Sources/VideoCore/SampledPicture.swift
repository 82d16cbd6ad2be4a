/// The RGB pixels of a picture at a `SampleGrid`'s crossings: pixel `(j, i)` of `pixels` is pixel
/// `(grid.columns[j], grid.rows[i])` of the whole picture, with the same bytes the whole picture's
/// conversion has there. 640x480 pixels (0.9 MB) for the face detector's grid on 1080p video,
/// against 3 MB for 4:2:0 planes and 6 MB for RGB.
///
/// Or, when `isReduced`, the consumer's reduction of those pixels (`PictureSampler.makeReduction`,
/// run by the source): for the face detector, its network input (320x240, 0.23 MB).
public struct SampledPicture: Sendable {
    /// Where the pixels come from.
    public let grid: SampleGrid
    /// `grid.columns.count x grid.rows.count` packed RGB pixels, or the reducer's result.
    public let pixels: RGBImage
    /// Whether `pixels` is the sampling's reduction of the grid's pixels rather than those pixels.
    public let isReduced: Bool

    /// Wraps sampled pixels; traps when their size does not match the grid.
    public init(grid: SampleGrid, pixels: RGBImage) {
        precondition(
            pixels.width == grid.columns.count && pixels.height == grid.rows.count,
            "SampledPicture: \(pixels.width)x\(pixels.height) pixels for a grid of \(grid.columns.count)x\(grid.rows.count)"
        )
        self.grid = grid
        self.pixels = pixels
        isReduced = false
    }

    /// Wraps the reduction (`SampleReduction`) of the pixels sampled at `grid`.
    public init(grid: SampleGrid, reducedPixels: RGBImage) {
        self.grid = grid
        pixels = reducedPixels
        isReduced = true
    }
}
