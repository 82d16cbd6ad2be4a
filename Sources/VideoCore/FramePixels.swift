import Synchronization

/// The pixels of a `VideoFrame`: RGB, or a 4:2:0 picture converted to RGB on first use (once,
/// then kept). Thread-safe: the conversion runs under a lock.
final class FramePixels: Sendable {
    /// The planes, when the frame was decoded to 4:2:0 and not yet replaced by RGB.
    let yuv420: YUV420Picture?
    private let rgb: Mutex<RGBImage?>

    init(rgb image: RGBImage) {
        yuv420 = nil
        rgb = Mutex(image)
    }

    init(yuv420 picture: YUV420Picture) {
        yuv420 = picture
        rgb = Mutex(nil)
    }

    /// The RGB picture, converting the planes the first time.
    var image: RGBImage {
        rgb.withLock { cached in
            if let cached { return cached }
            let converted = yuv420!.rgbImage()
            cached = converted
            return converted
        }
    }
}
