/// A V4L2 pixel format, identified by its four-character code (`V4L2_PIX_FMT_*`).
public struct V4L2PixelFormat: Sendable, Hashable, CustomStringConvertible {
    /// The little-endian four-character code as the kernel stores it.
    public let fourCC: UInt32

    /// A format from its numeric code.
    public init(fourCC: UInt32) { self.fourCC = fourCC }

    /// A format from its four-character name, e.g. `"YUYV"`; nil unless exactly 4 ASCII characters.
    public init?(_ name: String) {
        let bytes = Array(name.utf8)
        guard bytes.count == 4, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        fourCC = bytes.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    /// The four characters, e.g. `"MJPG"` (trailing spaces kept, as in `"RGB3"` or `"Y16 "`).
    public var name: String {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: fourCC >> (8 * UInt32($0))) }
        return String(decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    public var description: String { name }

    /// Packed YUV 4:2:2, Y0 U Y1 V (`V4L2_PIX_FMT_YUYV`): what every UVC webcam offers.
    public static let yuyv = V4L2PixelFormat("YUYV")!
    /// Motion JPEG (`V4L2_PIX_FMT_MJPEG`): one JPEG picture per frame, for large sizes over USB 2.
    public static let mjpeg = V4L2PixelFormat("MJPG")!
    /// JFIF JPEG (`V4L2_PIX_FMT_JPEG`), decoded like MJPEG.
    public static let jpeg = V4L2PixelFormat("JPEG")!
    /// Packed RGB 8-8-8 (`V4L2_PIX_FMT_RGB24`), used as is.
    public static let rgb24 = V4L2PixelFormat("RGB3")!

    /// Whether this program can turn frames of this format into RGB.
    public var isConvertible: Bool { Self.convertible.contains(self) }

    /// Whether frames are compressed pictures (variable size per frame).
    public var isCompressed: Bool { self == .mjpeg || self == .jpeg }

    static let convertible: Set<V4L2PixelFormat> = [.yuyv, .mjpeg, .jpeg, .rgb24]
}
