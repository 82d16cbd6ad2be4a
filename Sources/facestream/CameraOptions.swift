import ArgumentParser
import V4L2Capture

/// Options for camera inputs (`/dev/video0`, `/dev/v4l/by-id/...`), shared by the commands that read them.
struct CameraOptions: ParsableArguments {
    @Option(
        name: .customLong("camera-size"),
        help: ArgumentHelp("Camera: frame size WIDTHxHEIGHT (default 640x480, or the nearest offered).", valueName: "WxH"))
    var size: String?

    @Option(name: .customLong("camera-fps"), help: "Camera: frames per second to ask for (default: the fastest offered).")
    var framesPerSecond: Double?

    @Option(
        name: .customLong("camera-format"),
        help: ArgumentHelp(
            "Camera: pixel format: auto (MJPG above 640x480, else YUYV), YUYV, MJPG, JPEG or RGB3.", valueName: "fourcc"))
    var pixelFormat: String = "auto"

    @Option(name: .customLong("camera-buffers"), help: "Camera: mmap buffers to ask the driver for.")
    var buffers: Int = 4

    @Option(
        name: .customLong("camera-timeout"),
        help: ArgumentHelp("Camera: seconds without a frame before the camera counts as lost and is reopened.", valueName: "s"))
    var timeout: Double = 5

    func validate() throws {
        _ = try parsedSize()
        _ = try parsedFormat()
        if let framesPerSecond, !(framesPerSecond > 0 && framesPerSecond <= 1000) {
            throw ValidationError("--camera-fps must be between 0 and 1000, got \(framesPerSecond)")
        }
        guard (1...32).contains(buffers) else { throw ValidationError("--camera-buffers must be between 1 and 32, got \(buffers)") }
        guard timeout > 0 && timeout <= 3600 else { throw ValidationError("--camera-timeout must be between 0 and 3600 s, got \(timeout)") }
    }

    /// The options as the capture library takes them.
    func cameraOptions() throws -> V4L2CameraOptions {
        let size = try parsedSize()
        let request = CameraFormatRequest(
            width: size?.width, height: size?.height, framesPerSecond: framesPerSecond, pixelFormat: try parsedFormat())
        return V4L2CameraOptions(format: request, bufferCount: buffers, frameTimeout: .milliseconds(Int64(timeout * 1000)))
    }

    private func parsedSize() throws -> (width: Int, height: Int)? {
        guard let size else { return nil }
        let parts = size.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), (16...16384).contains(width),
            (16...16384).contains(height)
        else { throw ValidationError("--camera-size must look like 1280x720, got \(size)") }
        return (width, height)
    }

    private func parsedFormat() throws -> CameraFormatRequest.PixelFormatChoice {
        if pixelFormat.lowercased() == "auto" { return .automatic }
        let name = pixelFormat.uppercased() == "MJPEG" ? "MJPG" : pixelFormat.uppercased()
        guard let format = V4L2PixelFormat(name.count == 3 ? name + " " : name), format.isConvertible else {
            throw ValidationError("--camera-format must be auto, YUYV, MJPG, JPEG or RGB3, got \(pixelFormat)")
        }
        return .forced(format)
    }
}
