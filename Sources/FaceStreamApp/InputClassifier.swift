import Foundation

/// Decides whether an input is a still photo, a video/stream or a camera, from its first bytes when
/// it is a readable file, else from its name. URLs and "-" are always streams.
public enum InputClassifier {
    public enum Kind: Sendable, Equatable {
        case photo
        case video
        /// A V4L2 device: a video4linux character device, or a path under /dev/v4l/ or /dev/video*
        /// (which may not exist yet: the camera is waited for).
        case camera
    }

    /// Extensions treated as photos when the content cannot be sniffed.
    static let photoExtensions: Set<String> = [
        "jpg", "jpeg", "jpe", "png", "bmp", "tif", "tiff", "webp", "ppm", "pgm", "pnm", "qoi",
    ]

    public static func classify(_ input: String) -> Kind {
        if input == "-" || input.contains("://") { return .video }
        if isCamera(input) { return .camera }
        if let head = FileHandle(forReadingAtPath: input).flatMap({ handle -> Data? in
            defer { try? handle.close() }
            return try? handle.read(upToCount: 16)
        }), head.count >= 4 {
            let b = [UInt8](head)
            if b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF { return .photo }  // JPEG
            if b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47 { return .photo }  // PNG
            if b[0] == 0x42 && b[1] == 0x4D { return .photo }  // BMP
            if (b[0] == 0x49 && b[1] == 0x49 && b[2] == 0x2A) || (b[0] == 0x4D && b[1] == 0x4D && b[3] == 0x2A) {
                return .photo
            }  // TIFF
            if b.count >= 12, b[0...3] == [0x52, 0x49, 0x46, 0x46], b[8...11] == [0x57, 0x45, 0x42, 0x50] {
                return .photo
            }  // WebP
            if b[0] == 0x50, (0x31...0x36).contains(b[1]) { return .photo }  // PNM
        }
        let ext = (input as NSString).pathExtension.lowercased()
        return photoExtensions.contains(ext) || ext.isEmpty ? .photo : .video
    }

    /// The video4linux character devices' major number (Documentation/admin-guide/devices.txt).
    static let videoDeviceMajor: UInt32 = 81

    static func isCamera(_ path: String) -> Bool {
        var status = stat()
        if stat(path, &status) == 0 {
            return (status.st_mode & S_IFMT) == S_IFCHR && majorNumber(status.st_rdev) == videoDeviceMajor
        }
        return path.hasPrefix("/dev/v4l/") || path.hasPrefix("/dev/video")
    }

    /// glibc's `major()` (a macro Swift does not import): bits 8-19 and 32-43 of the device number.
    static func majorNumber(_ device: dev_t) -> UInt32 {
        UInt32(truncatingIfNeeded: ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff))
    }
}
