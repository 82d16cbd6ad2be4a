import CPixelKernels
import VideoCore

extension FramePainter {
    /// Hides `mask` on the planes of `canvas` with `style` (blur, pixelate or solid; `.box` does
    /// nothing), the same effect as `hide(_:_:style:)` on RGB: computed over the mask's outer
    /// rectangle (grown to even edges, so luma and chroma cover the same blocks), then mixed with
    /// the original by each pixel's coverage, luma at its pixel centres and chroma at the centres
    /// of its 2x2 blocks. Strength follows the mask's size: a blur radius of a fifth of its side
    /// (half that on chroma), blocks of an eighth (rounded up to even, half on chroma, so the
    /// chroma blocks sit exactly under the luma ones). Cost: proportional to the mask's area, the
    /// coverage is computed only in the feather band.
    func hide(_ canvas: inout YUV420Canvas, _ mask: FaceMask, style: AnnotationStyle) {
        guard style != .box,
            let clipped = PixelRect(clipping: mask.outerBox, width: canvas.width, height: canvas.height)
        else { return }
        let rect = PixelRect(
            x0: clipped.x0 & ~1, y0: clipped.y0 & ~1, x1: min(canvas.width, clipped.x1 + clipped.x1 % 2),
            y1: min(canvas.height, clipped.y1 + clipped.y1 % 2))
        let chroma = YUV420Canvas.chromaRect(rect)
        let side = Int(min(mask.side, 100_000))
        let passes = blurPasses
        let black = canvas.black
        // One row of the effect, sized by the luma rectangle and reused for the chroma planes.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: rect.width) { buffer in
            func apply(_ plane: MutablePlane, _ rect: PixelRect, scale: Float, level: UInt8, chroma: Bool) {
                let effect: PlaneEffect
                switch style {
                case .box: return
                case .blur:
                    let radius = max(2, side / 5)
                    effect = .blur(plane, rect, radius: chroma ? max(1, radius / 2) : radius, passes: passes)
                case .pixelate:
                    let block = (max(3, side / 8) + 1) & ~1
                    effect = .pixelate(plane, rect, block: chroma ? block / 2 : block)
                case .solid: effect = .level(level, width: rect.width)
                }
                Self.mix(effect, into: plane, rect, row: buffer.baseAddress!, mask: mask, scale: scale)
            }
            apply(canvas.planes.luma, rect, scale: 1, level: black.y, chroma: false)
            apply(canvas.planes.blueDifference, chroma, scale: 2, level: black.u, chroma: true)
            apply(canvas.planes.redDifference, chroma, scale: 2, level: black.v, chroma: true)
        }
    }

    /// Paints `effect` into `rect` of a plane where the mask covers it, mixed by coverage with the
    /// original in the feather band: `alpha * effect + (1 - alpha) * original`, rounded. Plane
    /// pixel `(x, y)` has its centre at `((x + 0.5) * scale, (y + 0.5) * scale)` in picture pixels.
    /// Each row is cut by `FaceMask.rowExtent` into five runs: uncovered at both ends (left as it
    /// is), the feather band on both sides (`coverage` per pixel) and the inside (the effect is
    /// copied in). The runs are widened by a pixel towards the band, so rounding of the bounds
    /// only sends more pixels to `coverage`. Only the covered columns of a row are produced, into
    /// `row` (`rect.width` bytes).
    static func mix(
        _ effect: borrowing PlaneEffect, into plane: MutablePlane, _ rect: PixelRect,
        row buffer: UnsafeMutablePointer<UInt8>, mask: FaceMask, scale: Float, origin: (x: Int, y: Int) = (0, 0)
    ) {
        let w = rect.width
        // Where the rectangle lies in the picture's plane coordinates: `origin` plus its own
        // corner (`origin` is the plane's offset when it holds only a cut-out of the picture).
        let (left, top) = (origin.x + rect.x0, origin.y + rect.y0)
        // Column in the rectangle of the pixel whose centre is at picture x `position`.
        func column(_ position: Float) -> Float { position / scale - 0.5 - Float(left) }
        func clamp(_ value: Float) -> Int { Int(min(max(value, 0), Float(w))) }
        for y in 0..<rect.height {
            let centreY = (Float(top + y) + 0.5) * scale
            let (inner, outer) = mask.rowExtent(y: centreY)
            guard let outer else { continue }
            let none = outer + scale
            // Columns [0, a) and [d, w) are uncovered, [b, c) fully covered.
            let a = clamp(column(mask.centreX - none).rounded(.down) + 1)
            let d = max(a, clamp(column(mask.centreX + none).rounded(.up)))
            guard a < d else { continue }
            var (b, c) = (d, d)
            if let inner, inner > scale {
                let full = inner - scale
                b = min(max(a, clamp(column(mask.centreX - full).rounded(.up))), d)
                c = min(max(b, clamp(column(mask.centreX + full).rounded(.down) + 1)), d)
            }
            effect.row(y, a..<d, into: buffer)
            let row = plane.row(rect.y0 + y) + rect.x0
            if b < c { (row + b).update(from: buffer + b, count: c - b) }
            mixBand(row, buffer, a..<b, mask: mask, firstX: Float(left), centreY: centreY, scale: scale)
            mixBand(row, buffer, c..<d, mask: mask, firstX: Float(left), centreY: centreY, scale: scale)
        }
    }

    /// Mixes the columns `band` of one row: `alpha * effect[x] + (1 - alpha) * row[x]` rounded,
    /// with `alpha = mask.coverage` at the pixel's centre `((firstX + x + 0.5) * scale, centreY)`.
    /// The loop runs in C (`facestream_feather_mix`, CPixelKernels: eight lanes with AVX2 where the
    /// CPU has it) with the coverage inlined (the painting tests compare every sample with
    /// `FaceMask.coverage`). A fully covered pixel mixes to itself.
    private static func mixBand(
        _ row: UnsafeMutablePointer<UInt8>, _ effectRow: UnsafePointer<UInt8>, _ band: Range<Int>, mask: FaceMask,
        firstX: Float, centreY: Float, scale: Float
    ) {
        guard !band.isEmpty else { return }
        var coverage = mask.row(y: centreY)
        facestream_feather_mix(row, effectRow, band.lowerBound, band.upperBound, &coverage, firstX, scale)
    }

    /// Draws the `.box` outline (and score label when `showsScore`) of every face on any surface.
    func paintBoxes(_ surface: inout some PaintSurface, faces: [Detection]) {
        for face in faces {
            guard let rect = PixelRect(clipping: face.box, width: surface.width, height: surface.height) else {
                continue
            }
            outline(&surface, rect)
            guard showsScore else { continue }
            let faceSize = Int(min(max(min(face.box.width, face.box.height), 1), 100_000))
            drawLabel(&surface, Self.labelText(score: face.score), above: rect, scale: max(1, min(4, faceSize / 40)))
        }
    }
}
