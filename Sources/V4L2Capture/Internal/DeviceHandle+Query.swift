internal import CV4L2
import Glibc

/// The identity of a device as VIDIOC_QUERYCAP reports it.
struct DeviceCapabilities {
    var driver: String
    var card: String
    var busInfo: String
    /// The capabilities of this node (`device_caps` when the driver fills it, else `capabilities`).
    var nodeCapabilities: UInt32

    /// Single-planar video capture with mmap streaming: what `V4L2Camera` can read.
    var canCaptureByStreaming: Bool {
        nodeCapabilities & UInt32(V4L2_CAP_VIDEO_CAPTURE) != 0 && nodeCapabilities & UInt32(V4L2_CAP_STREAMING) != 0
    }
}

extension DeviceHandle {
    /// VIDIOC_QUERYCAP.
    func capabilities() throws(V4L2Error) -> DeviceCapabilities {
        var caps = v4l2_capability()
        try ioctl(CV4L2_VIDIOC_QUERYCAP, "VIDIOC_QUERYCAP", &caps)
        let node = caps.capabilities & UInt32(V4L2_CAP_DEVICE_CAPS) != 0 ? caps.device_caps : caps.capabilities
        return DeviceCapabilities(
            driver: String(cField: caps.driver), card: String(cField: caps.card),
            busInfo: String(cField: caps.bus_info), nodeCapabilities: node)
    }

    /// VIDIOC_ENUM_FMT for single-planar capture; the formats libv4l2 emulates are left out.
    func nativeFormats() throws(V4L2Error) -> [(format: V4L2PixelFormat, description: String, compressed: Bool)] {
        var result: [(V4L2PixelFormat, String, Bool)] = []
        for index in 0..<256 {
            var description = v4l2_fmtdesc()
            description.index = UInt32(index)
            description.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            let code = ioctlResult(CV4L2_VIDIOC_ENUM_FMT, &description)
            if code == EINVAL { break }
            if code != 0 { throw V4L2Error(operation: "VIDIOC_ENUM_FMT", device: path, errno: code) }
            if description.flags & UInt32(V4L2_FMT_FLAG_EMULATED) != 0 { continue }
            result.append(
                (
                    V4L2PixelFormat(fourCC: description.pixelformat), String(cField: description.description),
                    description.flags & UInt32(V4L2_FMT_FLAG_COMPRESSED) != 0
                ))
        }
        return result
    }

    /// VIDIOC_ENUM_FRAMESIZES and VIDIOC_ENUM_FRAMEINTERVALS for one format. Drivers that do not
    /// enumerate sizes give an empty list (not an error).
    func sizes(of format: V4L2PixelFormat) -> (sizes: [CameraDescription.Size], isRange: Bool) {
        var sizes: [CameraDescription.Size] = []
        for index in 0..<512 {
            var size = v4l2_frmsizeenum()
            size.index = UInt32(index)
            size.pixel_format = format.fourCC
            guard ioctlResult(CV4L2_VIDIOC_ENUM_FRAMESIZES, &size) == 0 else { break }
            if size.type == V4L2_FRMSIZE_TYPE_DISCRETE.rawValue {
                let (width, height) = (Int(size.discrete.width), Int(size.discrete.height))
                sizes.append(.init(width: width, height: height, framesPerSecond: rates(format, width, height)))
            } else {
                let range = size.stepwise
                let low = (Int(range.min_width), Int(range.min_height))
                let high = (Int(range.max_width), Int(range.max_height))
                return (
                    [
                        .init(width: low.0, height: low.1, framesPerSecond: rates(format, low.0, low.1)),
                        .init(width: high.0, height: high.1, framesPerSecond: rates(format, high.0, high.1)),
                    ], true
                )
            }
        }
        return (sizes, false)
    }

    /// Frame rates at one size, fastest first.
    private func rates(_ format: V4L2PixelFormat, _ width: Int, _ height: Int) -> [Double] {
        var rates: [Double] = []
        for index in 0..<256 {
            var interval = v4l2_frmivalenum()
            interval.index = UInt32(index)
            interval.pixel_format = format.fourCC
            interval.width = UInt32(width)
            interval.height = UInt32(height)
            guard ioctlResult(CV4L2_VIDIOC_ENUM_FRAMEINTERVALS, &interval) == 0 else { break }
            if interval.type == V4L2_FRMIVAL_TYPE_DISCRETE.rawValue {
                if let rate = Self.rate(interval.discrete) { rates.append(rate) }
            } else {
                // Stepwise: the shortest interval is the fastest rate.
                rates += [Self.rate(interval.stepwise.min), Self.rate(interval.stepwise.max)].compactMap { $0 }
                break
            }
        }
        return Array(Set(rates)).sorted(by: >)
    }

    /// Frames per second of a frame interval (seconds per frame as a fraction); nil when degenerate.
    static func rate(_ interval: v4l2_fract) -> Double? {
        guard interval.numerator > 0, interval.denominator > 0 else { return nil }
        return (Double(interval.denominator) / Double(interval.numerator) * 1000).rounded() / 1000
    }
}
