import Synchronization

/// The pixels of a `VideoFrame`: RGB, a 4:2:0 picture converted to RGB on first use (once, then
/// kept), or only the RGB pixels of a sample grid. Thread-safe: the conversion runs under a lock.
final class FramePixels: Sendable {
    /// The planes, when the frame was decoded to 4:2:0 and not yet replaced by RGB.
    let yuv420: YUV420Picture?
    /// The sampled pixels, when the frame carries only those.
    let sampled: SampledPicture?
    private let rgb: Mutex<RGBImage?>

    init(rgb image: RGBImage) {
        yuv420 = nil
        sampled = nil
        rgb = Mutex(image)
    }

    init(yuv420 picture: YUV420Picture) {
        yuv420 = picture
        sampled = nil
        rgb = Mutex(nil)
    }

    init(sampled picture: SampledPicture) {
        yuv420 = nil
        sampled = picture
        rgb = Mutex(nil)
    }

    /// The RGB picture, converting the planes the first time. Traps for sampled-only frames: a
    /// source asked for samples only (`PixelSampling`) must not feed consumers of whole pictures.
    var image: RGBImage {
        rgb.withLock { cached in
            if let cached { return cached }
            guard let yuv420 else {
                preconditionFailure("VideoFrame.image read on a frame that carries only sampled pixels")
            }
            let converted = yuv420.rgbImage()
            cached = converted
            return converted
        }
    }
}
