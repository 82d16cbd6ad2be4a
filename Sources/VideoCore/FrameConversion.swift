/// The convert stage of a decoding source: what it makes of each decoded picture before the
/// frame enters the pipeline. It runs on the source's thread, straight from the decoder's planes.
public enum FrameConversion: Sendable {
    /// Whole pictures: 4:2:0 planes for 8-bit 4:2:0 video whose matrix is exact, RGB otherwise.
    /// For consumers of every pixel (an annotated or anonymised copy).
    case wholePictures
    /// Only the pixels `sampler` reads, converted to RGB (and reduced, when the sampler has a
    /// reduction) on the decode thread: for a detector alone (JSON output), 0.23 MB per frame
    /// in flight instead of 3 MB of 1080p planes. Video that is not 8-bit 4:2:0 still carries RGB.
    case sampled(any PictureSampler)
}

/// A consumer that reads only some pixels of each picture (the face detector's resize to its
/// network input): `FrameConversion.sampled` hands it just those, as a `SampledPicture`.
public protocol PictureSampler: Sendable {
    /// The rows and columns read in a `width x height` picture; the grid has that size.
    /// Called once per picture size, on the source's thread.
    func grid(width: Int, height: Int) -> SampleGrid
    /// The consumer's own reduction of the grid's pixels, made once per grid on the source's
    /// thread and then called there once per frame; nil when frames carry the grid's pixels.
    func makeReduction(for grid: SampleGrid) -> (any SampleReduction)?
}

/// Turns a grid's pixels into what the consumer keeps (the detector: its 320x240 input). Lives on
/// the source's thread only, so it may keep scratch memory between frames.
public protocol SampleReduction {
    /// The reduction of `samples` (`grid.columns.count x grid.rows.count` packed RGB pixels).
    mutating func reduce(_ samples: RGBImage) -> RGBImage
}
