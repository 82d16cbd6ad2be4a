import VideoCore

/// The face detector's resize to its network input as a sampler for a source's convert stage
/// (`FrameConversion.sampled`): the grid holds the rows and columns the OpenCV-identical bilinear
/// resize reads, and, when `reduces`, the source also runs that resize on its own thread so frames
/// carry the `width x height` input (0.23 MB for 320x240) and the detector only normalises it.
/// Gives the same tensor as the whole picture.
public struct InputResizeSampler: PictureSampler, Equatable {
    /// Network input width in pixels.
    public var width: Int
    /// Network input height in pixels.
    public var height: Int
    /// Whether the source resizes the samples to the input (true) or hands them on as sampled.
    public var reduces: Bool

    /// The sampler of a `width x height` network input.
    public init(width: Int, height: Int, reduces: Bool = true) {
        self.width = width
        self.height = height
        self.reduces = reduces
    }

    /// The rows and columns the resize of a `width x height` picture reads.
    public func grid(width sourceWidth: Int, height sourceHeight: Int) -> SampleGrid {
        InputTensorBuilder.plan(sourceWidth, sourceHeight, to: width, height).grid
    }

    /// The resize of the grid's pixels to the input, when `reduces`.
    public func makeReduction(for grid: SampleGrid) -> (any SampleReduction)? {
        guard reduces else { return nil }
        return InputResize(resizer: InputTensorBuilder.plan(grid.width, grid.height, to: width, height).resizer)
    }
}

/// The resize of one grid's pixels to the network input, with its scratch rows kept between frames.
struct InputResize: SampleReduction {
    let resizer: LinearResizer
    var scratch = LinearResizeScratch()

    mutating func reduce(_ samples: RGBImage) -> RGBImage {
        resizer.resize(samples, scratch: &scratch)
    }
}
