import VideoCore

/// `InputResizeSampler` whose target size follows the picture (`InputSizeRequest.auto`).
struct AutoInputResizeSampler: PictureSampler {
    let model: (width: Int, height: Int)

    private func sampler(_ width: Int, _ height: Int) -> InputResizeSampler {
        let size = InputSizeRequest.auto.networkSize(model: model, source: (width, height))
        return InputResizeSampler(width: size.width, height: size.height)
    }

    func grid(width: Int, height: Int) -> SampleGrid {
        sampler(width, height).grid(width: width, height: height)
    }

    func makeReduction(for grid: SampleGrid) -> (any SampleReduction)? {
        sampler(grid.width, grid.height).makeReduction(for: grid)
    }
}
