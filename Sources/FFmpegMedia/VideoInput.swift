import VideoCore

/// What an `FFmpegVideoSource` reads: a file, a URL, or a pipe.
public enum VideoInput: Sendable, Equatable {
    /// A local file of any container FFmpeg reads. Pacing `.file`.
    case file(path: String)
    /// A URL opened by FFmpeg's protocols (`rtsp`, `http(s)`, `udp`, `rtmp`, `srt`, `tcp`...).
    /// Pacing `.live`; reopened with back-off when it drops.
    case url(String)
    /// A readable pipe (or any stream) given as a file descriptor, e.g. 0 for standard input.
    /// Pacing `.file`: a pipe exerts back-pressure, so nothing is dropped. The descriptor is not
    /// closed by the source. A descriptor of a regular file (`- < clip.mp4`) is read as that file,
    /// with seeking; a pipe cannot seek, so formats that need it (MP4 with its index at the end) fail.
    case pipe(fileDescriptor: Int32)

    /// Standard input.
    public static let standardInput = VideoInput.pipe(fileDescriptor: 0)

    /// Reads a command-line argument: `-` is standard input, `scheme://...` a URL, anything else a path.
    public init(argument: String) {
        if argument == "-" {
            self = .standardInput
        } else if let range = argument.range(of: "://"), !argument[..<range.lowerBound].isEmpty,
            argument[..<range.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
        {
            self = .url(argument)
        } else {
            self = .file(path: argument)
        }
    }

    /// How the input is named in records and messages: the path, the URL, `-` or `fd:N`.
    public var name: String {
        switch self {
        case .file(let path): path
        case .url(let url): url
        case .pipe(let descriptor): descriptor == 0 ? "-" : "fd:\(descriptor)"
        }
    }

    /// `.live` for URLs, `.file` for files and pipes.
    public var pacing: SourcePacing {
        if case .url = self { .live } else { .file }
    }

    /// The URL's scheme in lower case, nil for files and pipes.
    var scheme: String? {
        guard case .url(let url) = self, let range = url.range(of: "://") else { return nil }
        return url[..<range.lowerBound].lowercased()
    }
}
