/// What a `VideoFrame` carries of its picture. The source decides, from the convert stage it was
/// given (`FrameConversion`): consumers switch over the cases instead of assuming RGB.
public enum FramePixels: Sendable {
    /// The whole picture as packed RGB (cameras, photos, and video that is not 8-bit 4:2:0).
    case rgb(RGBImage)
    /// The whole picture as decoded 4:2:0 planes, with the exact RGB arithmetic of the stream's
    /// matrix (`YUV420Picture.rgbImage()`): a consumer that needs only part of the picture (the
    /// face detector's resize) converts just that part.
    case yuv420(YUV420Picture)
    /// Only the pixels of a sample grid, or their reduction (`FrameConversion.sampled`): enough for
    /// the consumer that asked for them, not a whole picture.
    case sampled(SampledPicture)

    /// Width and height of the whole picture in pixels (also for sampled pixels).
    public var size: (width: Int, height: Int) {
        switch self {
        case .rgb(let image): (image.width, image.height)
        case .yuv420(let picture): (picture.width, picture.height)
        case .sampled(let picture): (picture.grid.width, picture.grid.height)
        }
    }

    /// The whole picture as RGB, converting 4:2:0 planes (about 6 ms for 1080p: once per frame, by
    /// the consumer that needs it); nil for sampled pixels, which are not a whole picture.
    public func rgbImage() -> RGBImage? {
        switch self {
        case .rgb(let image): image
        case .yuv420(let picture): picture.rgbImage()
        case .sampled: nil
        }
    }
}
