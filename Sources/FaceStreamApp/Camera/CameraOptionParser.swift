import V4L2Capture

/// Camera options written as text or numbers (`--camera-*` flags, `camera_*` configuration keys)
/// checked and turned into what `V4L2Camera` takes. One place for the rules, so the command line
/// and the configuration file accept exactly the same values.
///
/// Each function throws a `Rejection` that says the rule broken ("must look like 1280x720"); the
/// caller names the flag or key and adds the value.
public enum CameraOptionParser {
    /// Why a value was refused: the rule, phrased to follow the option's name.
    public struct Rejection: Error, Sendable, Equatable {
        /// E.g. "must be between 1 and 32".
        public let rule: String
    }

    /// Sides allowed in a frame size, in pixels.
    public static let sideRange = 16...16384
    /// mmap buffers that may be asked for.
    public static let bufferRange = 1...32

    /// `WIDTHxHEIGHT`, e.g. `1280x720` (case-insensitive `x`), each side 16...16384.
    public static func size(_ text: String) throws(Rejection) -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), sideRange.contains(width),
            sideRange.contains(height)
        else { throw Rejection(rule: "must look like 1280x720 (each side 16...16384)") }
        return (width, height)
    }

    /// `auto`, or a fourcc the program can convert: YUYV, MJPG (or MJPEG), JPEG, RGB3.
    public static func pixelFormat(_ text: String) throws(Rejection) -> CameraFormatRequest.PixelFormatChoice {
        if text.lowercased() == "auto" { return .automatic }
        let name = text.uppercased() == "MJPEG" ? "MJPG" : text.uppercased()
        guard let format = V4L2PixelFormat(name.count == 3 ? name + " " : name), format.isConvertible else {
            throw Rejection(rule: "must be auto, YUYV, MJPG, JPEG or RGB3")
        }
        return .forced(format)
    }

    /// Frames per second to ask for: more than 0, at most 1000.
    public static func framesPerSecond(_ value: Double) throws(Rejection) -> Double {
        guard value > 0 && value <= 1000 else { throw Rejection(rule: "must be between 0 and 1000") }
        return value
    }

    /// mmap buffers to ask for: 1...32.
    public static func bufferCount(_ value: Int) throws(Rejection) -> Int {
        guard bufferRange.contains(value) else { throw Rejection(rule: "must be between 1 and 32") }
        return value
    }

    /// Seconds without a frame before the camera counts as lost: more than 0, at most 3600.
    public static func frameTimeout(seconds: Double) throws(Rejection) -> Duration {
        guard seconds > 0 && seconds <= 3600 else { throw Rejection(rule: "must be between 0 and 3600 s") }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
