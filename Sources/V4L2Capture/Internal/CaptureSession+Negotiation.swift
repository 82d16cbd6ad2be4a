internal import CV4L2
import Glibc

extension CaptureSession {
    /// Chooses a format from what the device offers, sets it (VIDIOC_S_FMT), sets the frame rate
    /// (VIDIOC_S_PARM, when the driver supports it) and requests mmap buffers (VIDIOC_REQBUFS).
    static func negotiate(
        _ handle: DeviceHandle, _ request: CameraFormatRequest, bufferCount: Int
    ) throws(V4L2Error) -> NegotiatedFormat {
        let offered = try handle.nativeFormats().map { entry in
            let (sizes, isRange) = handle.sizes(of: entry.format)
            return CameraDescription.Format(
                pixelFormat: entry.format.name, description: entry.description, compressed: entry.compressed,
                supported: entry.format.isConvertible, sizes: sizes, sizeRange: isRange)
        }
        let choice: CameraFormatChoice
        switch V4L2FormatChooser.choose(request, among: offered) {
        case .success(let chosen): choice = chosen
        case .failure(let failure):
            throw V4L2Error(
                kind: .unsupportedFormat, operation: "VIDIOC_ENUM_FMT", device: handle.path, message: failure.message)
        }

        var format = v4l2_format()
        format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        format.fmt.pix.width = UInt32(choice.width)
        format.fmt.pix.height = UInt32(choice.height)
        format.fmt.pix.pixelformat = choice.pixelFormat.fourCC
        format.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        try handle.ioctl(CV4L2_VIDIOC_S_FMT, "VIDIOC_S_FMT", &format)
        let pix = format.fmt.pix
        let pixelFormat = V4L2PixelFormat(fourCC: pix.pixelformat)
        let (width, height) = (Int(pix.width), Int(pix.height))
        guard pixelFormat.isConvertible else {
            throw V4L2Error(
                kind: .unsupportedFormat, operation: "VIDIOC_S_FMT", device: handle.path,
                message:
                    "asked for \(choice.pixelFormat.name), the driver set \(pixelFormat.name), which facestream cannot convert"
            )
        }
        let minimumStride = pixelFormat == .yuyv ? width * 2 : pixelFormat == .rgb24 ? width * 3 : 0
        let stride = max(Int(pix.bytesperline), minimumStride)
        guard (1...16384).contains(width), (1...16384).contains(height), pixelFormat != .yuyv || width % 2 == 0,
            stride <= 4 * 16384
        else {
            throw V4L2Error(
                kind: .invalidDriverData, operation: "VIDIOC_S_FMT", device: handle.path,
                message:
                    "the driver set an unusable format \(width)x\(height) \(pixelFormat.name), \(pix.bytesperline) bytes per row"
            )
        }

        let rate = setRate(handle, choice.framesPerSecond)

        var buffers = v4l2_requestbuffers()
        buffers.count = UInt32(bufferCount)
        buffers.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        buffers.memory = V4L2_MEMORY_MMAP.rawValue
        try handle.ioctl(CV4L2_VIDIOC_REQBUFS, "VIDIOC_REQBUFS", &buffers)
        guard buffers.count >= 1, buffers.count <= 64 else {
            throw V4L2Error(
                kind: .invalidDriverData, operation: "VIDIOC_REQBUFS", device: handle.path,
                message: "the driver granted \(buffers.count) buffers (asked for \(bufferCount))")
        }
        return NegotiatedFormat(
            pixelFormat: pixelFormat, width: width, height: height, bytesPerRow: stride,
            maximumFrameBytes: Int(pix.sizeimage), framesPerSecond: rate, bufferCount: Int(buffers.count))
    }

    /// VIDIOC_S_PARM with the time per frame; the rate the driver confirms, nil when it cannot say.
    private static func setRate(_ handle: DeviceHandle, _ framesPerSecond: Double?) -> Double? {
        var parameters = v4l2_streamparm()
        parameters.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        if let framesPerSecond, framesPerSecond > 0 {
            // 1000 / (fps * 1000): keeps rates such as 29.97 exact enough.
            parameters.parm.capture.timeperframe = v4l2_fract(
                numerator: 1000, denominator: UInt32((framesPerSecond * 1000).rounded()))
        }
        guard framesPerSecond != nil, handle.ioctlResult(CV4L2_VIDIOC_S_PARM, &parameters) == 0 else { return nil }
        return DeviceHandle.rate(parameters.parm.capture.timeperframe)
    }
}
