import VideoCore

/// How good a sighting of a face is as its track's picture, 0...1: the detection score, the size
/// of the face and the sharpness of its pixels,
///
///     quality = 0.4 * score + 0.3 * min(1, shorter box side / 112 px) + 0.3 * v / (v + 100)
///
/// where `v` is the variance of the 4-neighbour Laplacian of the luma inside the box, read on a
/// grid of at most 64 x 64 points (neighbours one grid step apart), so it costs the same for any
/// face size and compares faces at the scale of the grid. Faces of 112 px and more count as
/// full size (what face recognisers take as input); a variance of 100 counts half sharp.
public enum SnapshotQuality {
    /// Points of the sharpness grid along the longer side of the box.
    static let gridSide = 64
    /// Variance of the Laplacian that counts as half sharp.
    static let halfSharpVariance: Float = 100
    /// Shorter box side, in pixels, from which a face counts as full size.
    static let fullSizeSide: Float = 112

    /// The quality of `face` in `pixels`; nil for sampled pixels (no whole picture).
    public static func of(_ face: Detection, in pixels: FramePixels) -> Float? {
        guard let variance = laplacianVariance(face.box, in: pixels) else { return nil }
        let size = min(1, min(face.box.width, face.box.height) / fullSizeSide)
        let sharpness = variance / (variance + halfSharpVariance)
        return 0.4 * face.score + 0.3 * size + 0.3 * sharpness
    }

    /// The variance of the Laplacian of the luma inside `box` (clipped to the picture) on the
    /// sharpness grid; 0 when the box is too small for a grid of 3 x 3; nil for sampled pixels.
    static func laplacianVariance(_ box: BoundingBox, in pixels: FramePixels) -> Float? {
        if case .sampled = pixels { return nil }
        let size = pixels.size
        guard let region = CropRegion.around(box, margin: 0, width: size.width, height: size.height) else { return 0 }
        let longest = max(region.width, region.height)
        let step = max(1, (longest + gridSide - 1) / gridSide)
        let columns = (region.width - 1) / step + 1
        let rows = (region.height - 1) / step + 1
        guard columns >= 3, rows >= 3 else { return 0 }
        // Grid point (i, j) is picture pixel (x0 + i * step, y0 + j * step).
        var grid = [Int32](repeating: 0, count: columns * rows)
        switch pixels {
        case .yuv420(let picture):
            for j in 0..<rows {
                let rowStart = (region.y0 + j * step) * picture.width + region.x0
                for i in 0..<columns { grid[j * columns + i] = Int32(picture.luma[rowStart + i * step]) }
            }
        case .rgb(let image):
            // BT.601 luma in 8-bit fixed point: (77 R + 150 G + 29 B + 128) / 256.
            for j in 0..<rows {
                let rowStart = (region.y0 + j * step) * image.bytesPerRow + region.x0 * 3
                for i in 0..<columns {
                    let at = rowStart + i * step * 3
                    let red = Int32(image.pixels[at])
                    let green = Int32(image.pixels[at + 1])
                    let blue = Int32(image.pixels[at + 2])
                    grid[j * columns + i] = (77 * red + 150 * green + 29 * blue + 128) >> 8
                }
            }
        case .sampled:
            return nil
        }
        // L(i, j) = 4 c - left - right - up - down over the interior points; variance = E[L²] - E[L]².
        var sum: Double = 0
        var sumOfSquares: Double = 0
        for j in 1..<(rows - 1) {
            for i in 1..<(columns - 1) {
                let at = j * columns + i
                let laplacian = 4 * grid[at] - grid[at - 1] - grid[at + 1] - grid[at - columns] - grid[at + columns]
                sum += Double(laplacian)
                sumOfSquares += Double(laplacian) * Double(laplacian)
            }
        }
        let count = Double((rows - 2) * (columns - 2))
        let mean = sum / count
        return Float(max(0, sumOfSquares / count - mean * mean))
    }
}
