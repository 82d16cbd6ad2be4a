import CPixelKernels
import VideoCore

/// Where and how strongly one face is hidden: the face box grown by the mask scale around its
/// centre, the shape, and a feather band outside it where the effect fades out.
struct FaceMask: Equatable {
    /// Centre of the face box, in pixels.
    let centreX: Float
    let centreY: Float
    /// Half the width and height of the scaled box (the fully hidden region), in pixels.
    let halfWidth: Float
    let halfHeight: Float
    let shape: MaskShape
    /// Width in pixels of the band outside the fully hidden region where the effect fades to nothing.
    let feather: Float
    /// `1 / halfWidth`, `1 / halfHeight` and `1 / feather`: `coverage` multiplies by these rather
    /// than divide, per pixel (a division costs several multiplications).
    private let widthScale: Float
    private let heightScale: Float
    private let featherScale: Float

    /// The mask of `box` grown `scale` times. The feather is 6 % of the mask's smaller side,
    /// at least 2 and at most 24 pixels; it lies outside the scaled box, so it never thins the
    /// fully hidden region.
    init(box: BoundingBox, scale: Float, shape: MaskShape) {
        centreX = (box.x1 + box.x2) / 2
        centreY = (box.y1 + box.y2) / 2
        halfWidth = max(0.5, box.width * scale / 2)
        halfHeight = max(0.5, box.height * scale / 2)
        self.shape = shape
        feather = min(24, max(2, 0.06 * 2 * min(halfWidth, halfHeight)))
        widthScale = 1 / halfWidth
        heightScale = 1 / halfHeight
        featherScale = 1 / feather
    }

    /// The smaller side of the scaled box, in pixels: the size the effect's strength follows.
    var side: Float { 2 * min(halfWidth, halfHeight) }

    /// The box the effect covers: the scaled box plus the feather band.
    var outerBox: BoundingBox {
        BoundingBox(
            x1: centreX - halfWidth - feather, y1: centreY - halfHeight - feather, x2: centreX + halfWidth + feather,
            y2: centreY + halfHeight + feather)
    }

    /// How much of the effect the pixel whose centre is (x, y) gets: 1 inside the shape, falling
    /// linearly to 0 across the feather band outside it (`facestream_mask_coverage`, the one
    /// definition the painters' band mix inlines too).
    ///
    /// Ellipse: with r = sqrt((dx/a)^2 + (dy/b)^2), the distance outside is taken as
    /// (r - 1) * min(a, b), which is never more than the true distance, so the band is at least
    /// `feather` wide everywhere.
    func coverage(x: Float, y: Float) -> Float {
        withUnsafePointer(to: row(y: y)) { facestream_mask_coverage($0, x) }
    }

    /// The row of pixel centres at height `y`, with what depends only on `y` worked out once,
    /// in the form the C coverage and band mix take.
    func row(y: Float) -> facestream_row_coverage {
        let dy = abs(y - centreY)
        let across: Float
        switch shape {
        case .rect: across = dy - halfHeight
        case .ellipse: across = dy * heightScale
        }
        return facestream_row_coverage(
            centre_x: centreX, half_width: halfWidth, width_scale: widthScale, feather_scale: featherScale,
            shorter_half: min(halfWidth, halfHeight), row_term: across, is_ellipse: shape == .ellipse ? 1 : 0)
    }
}

extension FramePainter {
    /// Hides `mask` in `image` with `style` (blur, pixelate or solid; `.box` is not a hiding style
    /// and does nothing here), with the plane painter's effects and mix (`PlaneEffect`, the
    /// feather-band mix), so cameras' RGB frames are hidden as decoded video is: each channel of
    /// the mask's outer rectangle is copied out into a plane, the effect worked out there and
    /// painted where the mask covers it, and the channel copied back. Strength follows the mask's
    /// size, so a large face is as unrecognisable as a small one: a blur radius of a fifth of its
    /// side, blocks of an eighth. Cost per frame: proportional to the mask's area.
    func hide(_ image: inout RGBImage, _ mask: FaceMask, style: AnnotationStyle) {
        guard style != .box,
            let rect = PixelRect(clipping: mask.outerBox, width: image.width, height: image.height)
        else { return }
        let side = Int(min(mask.side, 100_000))
        let (w, h) = (rect.width, rect.height)
        let local = PixelRect(x0: 0, y0: 0, x1: w, y1: h)
        let rowBytes = image.bytesPerRow
        let passes = blurPasses
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            // One channel of the rectangle (w x h, packed), then one row of the effect.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: w * h + w) { scratch in
                let channel = MutablePlane(base: scratch.baseAddress!, width: w, height: h, stride: w)
                for c in 0..<3 {
                    for y in 0..<h {
                        let source = pixels.baseAddress! + (rect.y0 + y) * rowBytes + rect.x0 * 3 + c
                        let target = channel.row(y)
                        for x in 0..<w { target[x] = source[x * 3] }
                    }
                    let effect: PlaneEffect
                    switch style {
                    case .box: return
                    case .blur: effect = .blur(channel, local, radius: max(2, side / 5), passes: passes)
                    case .pixelate: effect = .pixelate(channel, local, block: max(3, side / 8))
                    case .solid: effect = .level(0, width: w)
                    }
                    Self.mix(
                        effect, into: channel, local, row: scratch.baseAddress! + w * h, mask: mask, scale: 1,
                        origin: (rect.x0, rect.y0))
                    for y in 0..<h {
                        let target = pixels.baseAddress! + (rect.y0 + y) * rowBytes + rect.x0 * 3 + c
                        let source = channel.row(y)
                        for x in 0..<w { target[x * 3] = source[x] }
                    }
                }
            }
        }
    }
}
