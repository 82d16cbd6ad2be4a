/// Picks pixel format, size and rate from what a camera offers. Pure: no device access.
///
/// Rules, in order:
/// 1. Only formats this program converts (`V4L2PixelFormat.isConvertible`); a forced format must be offered.
/// 2. Size: each format's offered size closest to the request (smallest difference in width plus
///    height; ties go to the larger size). Sizes within a range are used as asked (clamped).
/// 3. Format: the one whose size is closest; on a tie MJPEG when the size is above
///    `largeFramePixels` (raw YUYV at that size does not fit through USB 2 at full rate), else YUYV,
///    then the others; a format reaching the requested rate wins over one that does not.
/// 4. Rate: the offered rate closest to the request, else the fastest.
public enum V4L2FormatChooser {
    /// Sizes with more pixels than this (640x480) prefer MJPEG.
    public static let largeFramePixels = 640 * 480

    /// The choice for `request` among `formats` (as `V4L2Discovery` describes them).
    public static func choose(
        _ request: CameraFormatRequest, among formats: [CameraDescription.Format]
    ) -> Result<CameraFormatChoice, ChoiceFailure> {
        let targetWidth = request.width ?? 640
        let targetHeight = request.height ?? 480
        var candidates: [(format: V4L2PixelFormat, size: CameraDescription.Size)] = []
        for format in formats {
            guard let pixelFormat = V4L2PixelFormat(format.pixelFormat), pixelFormat.isConvertible else { continue }
            if case .forced(let forced) = request.pixelFormat, forced != pixelFormat { continue }
            let size =
                format.sizeRange && format.sizes.count == 2
                ? clamp(targetWidth, targetHeight, format.sizes[0], format.sizes[1])
                : nearest(targetWidth, targetHeight, in: format.sizes)
            // A driver that enumerates no sizes gets the request, for VIDIOC_S_FMT to adjust.
            candidates.append(
                (pixelFormat, size ?? .init(width: targetWidth, height: targetHeight, framesPerSecond: [])))
        }
        guard !candidates.isEmpty else {
            let offered = formats.map(\.pixelFormat).joined(separator: ", ")
            if case .forced(let forced) = request.pixelFormat {
                return .failure(.init(message: "the camera does not offer \(forced.name) (it offers: \(offered))"))
            }
            return .failure(
                .init(
                    message:
                        "the camera offers no format facestream can convert (it offers: \(offered); supported: YUYV, MJPG, JPEG, RGB3)"
                ))
        }
        let best = candidates.min { a, b in
            rank(a, targetWidth, targetHeight, request.framesPerSecond)
                < rank(b, targetWidth, targetHeight, request.framesPerSecond)
        }!
        let rate = pickRate(best.size.framesPerSecond, request.framesPerSecond)
        return .success(
            CameraFormatChoice(
                pixelFormat: best.format, width: best.size.width, height: best.size.height, framesPerSecond: rate))
    }

    /// Why no format could be chosen.
    public struct ChoiceFailure: Error, Sendable, Equatable {
        public var message: String
    }

    /// Sort key: size distance, rate shortfall, format preference.
    private static func rank(
        _ candidate: (format: V4L2PixelFormat, size: CameraDescription.Size), _ width: Int, _ height: Int,
        _ fps: Double?
    ) -> (Int, Int, Int) {
        let distance = abs(candidate.size.width - width) + abs(candidate.size.height - height)
        var shortfall = 0
        if let fps, let fastest = candidate.size.framesPerSecond.max(), fastest + 0.01 < fps { shortfall = 1 }
        let large = candidate.size.width * candidate.size.height > largeFramePixels
        let order: [V4L2PixelFormat] = large ? [.mjpeg, .jpeg, .yuyv, .rgb24] : [.yuyv, .mjpeg, .jpeg, .rgb24]
        return (distance, shortfall, order.firstIndex(of: candidate.format) ?? order.count)
    }

    private static func nearest(_ width: Int, _ height: Int, in sizes: [CameraDescription.Size])
        -> CameraDescription.Size?
    {
        sizes.min { a, b in
            let da = abs(a.width - width) + abs(a.height - height)
            let db = abs(b.width - width) + abs(b.height - height)
            return da != db ? da < db : a.width * a.height > b.width * b.height
        }
    }

    private static func clamp(
        _ width: Int, _ height: Int, _ low: CameraDescription.Size, _ high: CameraDescription.Size
    ) -> CameraDescription.Size {
        CameraDescription.Size(
            width: min(max(width, low.width), high.width), height: min(max(height, low.height), high.height),
            framesPerSecond: high.framesPerSecond)
    }

    private static func pickRate(_ offered: [Double], _ requested: Double?) -> Double? {
        guard let requested else { return offered.max() }
        guard !offered.isEmpty else { return requested }
        return offered.min { abs($0 - requested) < abs($1 - requested) }
    }
}
