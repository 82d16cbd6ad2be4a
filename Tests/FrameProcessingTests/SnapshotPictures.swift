import Foundation
import FrameProcessing
import JPEGCodec
import TestSupport
import VideoCore

/// Pictures for the snapshot tests: a shared photo (450x344, two faces) as RGB and as the 4:2:0
/// planes of a limited-range BT.601 video, and a blurred copy.
enum SnapshotPictures {
    static func photo() throws -> RGBImage {
        let path = SharedData.images.appendingPathComponent("imgs/13.jpg").path
        return try JPEGDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The photo as 4:2:0 planes (BT.601 limited range; chroma of the top-left pixel of each 2x2).
    static func planes(_ rgb: RGBImage) -> YUV420Picture {
        let width = rgb.width & ~1
        let height = rgb.height & ~1
        var luma = [UInt8](repeating: 0, count: width * height)
        var blue = [UInt8](repeating: 128, count: width * height / 4)
        var red = [UInt8](repeating: 128, count: width * height / 4)
        for y in 0..<height {
            for x in 0..<width {
                let at = (y * rgb.width + x) * 3
                let (r, g, b) = (Int(rgb.pixels[at]), Int(rgb.pixels[at + 1]), Int(rgb.pixels[at + 2]))
                luma[y * width + x] = UInt8(clamping: 16 + (66 * r + 129 * g + 25 * b + 128) >> 8)
                if x % 2 == 0, y % 2 == 0 {
                    let chroma = (y / 2) * (width / 2) + x / 2
                    blue[chroma] = UInt8(clamping: 128 + (-38 * r - 74 * g + 112 * b + 128) >> 8)
                    red[chroma] = UInt8(clamping: 128 + (112 * r - 94 * g - 18 * b + 128) >> 8)
                }
            }
        }
        return YUV420Picture(
            width: width, height: height, luma: luma, blueDifference: blue, redDifference: red,
            coefficients: YUVToRGBCoefficients(
                yOffset: 8192, yScale: 9539, vToRed: 13075, vToGreen: -6660, uToGreen: -3209, uToBlue: 16525))
    }

    /// `image` with the pixels of `region` (by default the left face and its margin) averaged over
    /// (2 * radius + 1)^2 neighbourhoods (clamped at the picture's edges).
    static func blurred(_ image: RGBImage, radius: Int = 3, region: CropRegion = faceArea) -> RGBImage {
        var out = image.pixels
        for y in region.y0..<region.y1 {
            for x in region.x0..<region.x1 {
                for channel in 0..<3 {
                    var sum = 0
                    var count = 0
                    for dy in -radius...radius {
                        for dx in -radius...radius {
                            let sx = min(max(x + dx, 0), image.width - 1)
                            let sy = min(max(y + dy, 0), image.height - 1)
                            sum += Int(image.pixels[(sy * image.width + sx) * 3 + channel])
                            count += 1
                        }
                    }
                    out[(y * image.width + x) * 3 + channel] = UInt8(sum / count)
                }
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: out)
    }

    /// The left face and more than its snapshot margin.
    static let faceArea = CropRegion(x0: 60, y0: 0, x1: 190, y1: 140)

    /// The left face of the photo, as the detector finds it (`facestream detect imgs/13.jpg`).
    static let leftFace = BoundingBox(x1: 91.17, y1: 17.85, x2: 154.84, y2: 102.92)
}
