internal import CFFmpeg

/// What FFmpeg this process uses, for `facestream --version` and bug reports.
public enum FFmpegRuntime {
    /// One of FFmpeg's libraries: its name and the version it reports at run time.
    public struct Library: Sendable, Equatable, CustomStringConvertible {
        public let name: String
        public let major: Int
        public let minor: Int
        public let micro: Int

        /// Unpacks FFmpeg's `major << 16 | minor << 8 | micro`.
        init(name: String, packed: UInt32) {
            self.name = name
            major = Int(packed >> 16)
            minor = Int((packed >> 8) & 0xFF)
            micro = Int(packed & 0xFF)
        }

        /// `libavformat 59.27.100`.
        public var description: String { "\(name) \(major).\(minor).\(micro)" }
    }

    /// The four libraries, loading FFmpeg if that was not done yet; throws when it cannot be loaded.
    public static func libraries() throws(FFmpegError) -> [Library] {
        try FFmpegLibrary.ensureLoaded()
        let versions: [(String, UInt32)] = [
            ("libavformat", avformat_version()), ("libavcodec", avcodec_version()), ("libswscale", swscale_version()),
            ("libavutil", avutil_version()),
        ]
        return versions.map { name, packed in Library(name: name, packed: packed) }
    }
}
