internal import CV4L2
import CoreSupport
import Glibc
import VideoCore

/// One open, streaming camera: the device, its negotiated format and its mmap ring. Streaming
/// stops and everything is released in `deinit`. Used by one thread only.
final class CaptureSession {
    /// The bytes of one dequeued buffer, already copied out (the buffer is back with the driver).
    struct RawFrame {
        var bytes: [UInt8]
        /// Kernel timestamp in microseconds (CLOCK_MONOTONIC for most drivers); nil when the driver sets none.
        var timestampMicroseconds: Int64?
        /// The buffer was flagged as damaged by the driver.
        var damaged: Bool
    }

    let handle: DeviceHandle
    let format: NegotiatedFormat
    private var buffers: [MappedBuffer] = []
    private var streaming = false

    /// Opens `path`, checks it is a capture device, negotiates `request` and starts streaming.
    init(path: String, request: CameraFormatRequest, bufferCount: Int) throws(V4L2Error) {
        handle = try DeviceHandle(path: path)
        let capabilities = try handle.capabilities()
        guard capabilities.canCaptureByStreaming else {
            throw V4L2Error(
                kind: .notCapturing, operation: "VIDIOC_QUERYCAP", device: path,
                message:
                    "\(capabilities.card) (\(capabilities.driver)) cannot capture video by streaming; it may be a metadata or output node, or a loopback device without a producer"
            )
        }
        format = try Self.negotiate(handle, request, bufferCount: bufferCount)
        for index in 0..<format.bufferCount {
            buffers.append(try MappedBuffer(handle: handle, index: UInt32(index)))
        }
        for index in 0..<format.bufferCount { try queue(UInt32(index)) }
        var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
        try handle.ioctl(CV4L2_VIDIOC_STREAMON, "VIDIOC_STREAMON", &type)
        streaming = true
    }

    deinit {
        if streaming {
            var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
            _ = handle.ioctlResult(CV4L2_VIDIOC_STREAMOFF, &type)
        }
        buffers.removeAll()
    }

    /// Waits up to `timeout` for a frame, checking `stop` every 100 ms. Nil when stopped.
    /// Throws `.timedOut` when no frame came, `.noDevice`/`.ioFailed` when the camera went away.
    func nextFrame(timeout: Duration, stop: StopSignal) throws(V4L2Error) -> RawFrame? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if stop.isFired { return nil }
            let now = ContinuousClock.now
            if now >= deadline {
                throw V4L2Error(
                    kind: .timedOut, operation: "VIDIOC_DQBUF", device: handle.path,
                    message: "no frame for \(timeout)")
            }
            // DQBUF only once poll says a buffer is ready: libv4l2 prints a line for every EAGAIN.
            guard try waitReadable(milliseconds: min(100, milliseconds(deadline - now))) else { continue }
            var buffer = v4l2_buffer()
            buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            buffer.memory = V4L2_MEMORY_MMAP.rawValue
            let code = handle.ioctlResult(CV4L2_VIDIOC_DQBUF, &buffer)
            if code == 0 { return try take(buffer) }
            if code != EAGAIN { throw V4L2Error(operation: "VIDIOC_DQBUF", device: handle.path, errno: code) }
        }
    }

    /// Copies a dequeued buffer out and gives it back to the driver.
    private func take(_ buffer: v4l2_buffer) throws(V4L2Error) -> RawFrame {
        guard Int(buffer.index) < buffers.count else {
            throw V4L2Error(
                kind: .invalidDriverData, operation: "VIDIOC_DQBUF", device: handle.path,
                message: "the driver returned buffer \(buffer.index) of \(buffers.count)")
        }
        let mapped = buffers[Int(buffer.index)]
        let used = Int(buffer.bytesused)
        let bytes = mapped.copy(count: used > 0 ? used : mapped.length)
        try queue(buffer.index)
        let microseconds = Int64(buffer.timestamp.tv_sec) * 1_000_000 + Int64(buffer.timestamp.tv_usec)
        return RawFrame(
            bytes: bytes, timestampMicroseconds: microseconds > 0 ? microseconds : nil,
            damaged: buffer.flags & UInt32(V4L2_BUF_FLAG_ERROR) != 0 || used > mapped.length)
    }

    private func queue(_ index: UInt32) throws(V4L2Error) {
        var buffer = v4l2_buffer()
        buffer.index = index
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        buffer.memory = V4L2_MEMORY_MMAP.rawValue
        try handle.ioctl(CV4L2_VIDIOC_QBUF, "VIDIOC_QBUF", &buffer)
    }

    /// poll() for input: true when a buffer is ready; a hung-up or failed device throws.
    private func waitReadable(milliseconds: Int) throws(V4L2Error) -> Bool {
        var descriptor = pollfd(fd: handle.descriptor, events: Int16(POLLIN), revents: 0)
        let result = poll(&descriptor, 1, Int32(max(1, milliseconds)))
        if result < 0 {
            let code = errno
            if code == EINTR { return false }
            throw V4L2Error(operation: "poll", device: handle.path, errno: code)
        }
        if result > 0, descriptor.revents & Int16(POLLIN) != 0 { return true }
        if result > 0,
            descriptor.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0
        {
            // POLLERR alone also means "not streaming yet" for some drivers; DQBUF tells the real errno.
            var buffer = v4l2_buffer()
            buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            buffer.memory = V4L2_MEMORY_MMAP.rawValue
            let code = handle.ioctlResult(CV4L2_VIDIOC_DQBUF, &buffer)
            if code == 0 {
                // Cannot happen without POLLIN; give the buffer back so none is lost.
                try queue(buffer.index)
                return false
            }
            if code != EAGAIN { throw V4L2Error(operation: "VIDIOC_DQBUF", device: handle.path, errno: code) }
            throw V4L2Error(
                kind: .ioFailed, operation: "poll", device: handle.path,
                message: "the device reported an error condition (revents \(descriptor.revents))")
        }
        return false
    }

    private func milliseconds(_ duration: Duration) -> Int {
        Int(duration.wholeMilliseconds)
    }
}
