import ArgumentParser
import FaceStreamApp
import V4L2Capture

/// Options for camera inputs (`/dev/video0`, `/dev/v4l/by-id/...`), shared by the commands that read them.
struct CameraOptions: ParsableArguments {
    @Option(
        name: .customLong("camera-size"),
        help: ArgumentHelp(
            "Camera: frame size WIDTHxHEIGHT (default 640x480, or the nearest offered).", valueName: "WxH"))
    var size: String?

    @Option(
        name: .customLong("camera-fps"), help: "Camera: frames per second to ask for (default: the fastest offered).")
    var framesPerSecond: Double?

    @Option(
        name: .customLong("camera-format"),
        help: ArgumentHelp(
            "Camera: pixel format: auto (MJPG above 640x480, else YUYV), YUYV, MJPG, JPEG or RGB3.", valueName: "fourcc"
        ))
    var pixelFormat: String = "auto"

    @Option(name: .customLong("camera-buffers"), help: "Camera: mmap buffers to ask the driver for.")
    var buffers: Int = 4

    @Option(
        name: .customLong("camera-timeout"),
        help: ArgumentHelp(
            "Camera: seconds without a frame before the camera counts as lost and is reopened.", valueName: "s"))
    var timeout: Double = 5

    func validate() throws {
        _ = try cameraOptions()
    }

    /// The options as the capture library takes them; the rules are `CameraOptionParser`'s.
    func cameraOptions() throws -> V4L2CameraOptions {
        var request = CameraFormatRequest()
        if let size {
            let parsed = try checked("--camera-size", size) { () throws(CameraOptionParser.Rejection) in
                try CameraOptionParser.size(size)
            }
            (request.width, request.height) = (parsed.width, parsed.height)
        }
        if let framesPerSecond {
            request.framesPerSecond = try checked("--camera-fps", framesPerSecond) {
                () throws(CameraOptionParser.Rejection) in try CameraOptionParser.framesPerSecond(framesPerSecond)
            }
        }
        request.pixelFormat = try checked("--camera-format", pixelFormat) { () throws(CameraOptionParser.Rejection) in
            try CameraOptionParser.pixelFormat(pixelFormat)
        }
        let bufferCount = try checked("--camera-buffers", buffers) { () throws(CameraOptionParser.Rejection) in
            try CameraOptionParser.bufferCount(buffers)
        }
        let frameTimeout = try checked("--camera-timeout", timeout) { () throws(CameraOptionParser.Rejection) in
            try CameraOptionParser.frameTimeout(seconds: timeout)
        }
        return V4L2CameraOptions(format: request, bufferCount: bufferCount, frameTimeout: frameTimeout)
    }

    /// Runs one parser; a rejection becomes `--flag <rule>, got <value>`.
    private func checked<Value>(
        _ flag: String, _ value: Any, _ parse: () throws(CameraOptionParser.Rejection) -> Value
    ) throws -> Value {
        do {
            return try parse()
        } catch {
            throw ValidationError("\(flag) \(error.rule), got \(value)")
        }
    }
}
