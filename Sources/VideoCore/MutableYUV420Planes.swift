/// One 8-bit plane lent out for painting in place: `height` rows of `width` bytes, row `y` at
/// `base + y * stride`. Whoever lends it owns the memory; the view is valid only inside the call
/// it is passed to (see `MutableYUV420Planes`).
public struct MutablePlane {
    /// The first byte of row 0.
    public let base: UnsafeMutablePointer<UInt8>
    /// Bytes per row that belong to the picture.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Bytes from one row to the next (at least `width`; an encoder's frame pads its rows).
    public let stride: Int

    /// Wraps a plane; traps on a stride shorter than a row.
    public init(base: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        precondition(width >= 0 && height >= 0 && stride >= width, "MutablePlane: stride \(stride) < width \(width)")
        self.base = base
        self.width = width
        self.height = height
        self.stride = stride
    }

    /// The first byte of row `y`.
    @inline(__always) public func row(_ y: Int) -> UnsafeMutablePointer<UInt8> { base + y * stride }
}

/// The planes of an 8-bit 4:2:0 picture lent out for painting in place: the encoder's own frame
/// (so painted pixels are not copied again) or a copy of a `YUV420Picture`'s arrays
/// (`YUV420Picture.painted`).
///
/// Lifetime: the pointers are valid only inside the closure the planes are passed to; a painter
/// must not keep them.
public struct MutableYUV420Planes {
    /// Width in pixels (even).
    public let width: Int
    /// Height in pixels (even).
    public let height: Int
    /// `width x height`.
    public let luma: MutablePlane
    /// `width / 2 x height / 2`.
    public let blueDifference: MutablePlane
    /// `width / 2 x height / 2`.
    public let redDifference: MutablePlane

    /// Wraps three planes; traps when their sizes are not those of a `width x height` 4:2:0 picture.
    public init(
        width: Int, height: Int, luma: MutablePlane, blueDifference: MutablePlane, redDifference: MutablePlane
    ) {
        precondition(
            luma.width == width && luma.height == height && blueDifference.width == width / 2
                && blueDifference.height == height / 2 && redDifference.width == width / 2
                && redDifference.height == height / 2,
            "MutableYUV420Planes: plane sizes do not match \(width)x\(height)")
        self.width = width
        self.height = height
        self.luma = luma
        self.blueDifference = blueDifference
        self.redDifference = redDifference
    }
}

extension YUV420Picture {
    /// A copy of this picture changed by `paint`, which gets the copy's planes (packed rows). The
    /// planes are valid only during the call.
    public func painted(_ paint: (MutableYUV420Planes) -> Void) -> YUV420Picture {
        var (y, u, v) = (luma, blueDifference, redDifference)
        let (w, h) = (width, height)
        // The three buffers stay valid (and uniquely owned, so written in place) for the nested calls.
        y.withUnsafeMutableBufferPointer { y in
            u.withUnsafeMutableBufferPointer { u in
                v.withUnsafeMutableBufferPointer { v in
                    paint(
                        MutableYUV420Planes(
                            width: w, height: h,
                            luma: MutablePlane(base: y.baseAddress!, width: w, height: h, stride: w),
                            blueDifference: MutablePlane(
                                base: u.baseAddress!, width: w / 2, height: h / 2, stride: w / 2),
                            redDifference: MutablePlane(
                                base: v.baseAddress!, width: w / 2, height: h / 2, stride: w / 2)))
                }
            }
        }
        return YUV420Picture(
            width: w, height: h, luma: y, blueDifference: u, redDifference: v, coefficients: coefficients,
            matrixCode: matrixCode)
    }
}
