extension SampleGrid {
    /// The stored rows and columns (ascending) whose crossings hold this displayed grid's pixels
    /// under `orientation`: sampling the stored picture there gives a small picture that,
    /// turned with the same `orientation`, is exactly the displayed grid's pixels (a turn or
    /// mirroring of the whole picture maps the lattice of crossings onto itself, reversing or
    /// swapping its index order). So a rotated video is sampled for the detector without turning
    /// the whole picture: only the grid's pixels are turned.
    public func storedLattice(under orientation: PictureOrientation) -> (rows: [Int], columns: [Int]) {
        // Displayed X reads stored y when transposed, else stored x; likewise Y.
        let fromX = orientation.reversesX ? columns.reversed().map { width - 1 - $0 } : columns
        let fromY = orientation.reversesY ? rows.reversed().map { height - 1 - $0 } : rows
        return orientation.transposes ? (rows: fromX, columns: fromY) : (rows: fromY, columns: fromX)
    }
}
