internal import CV4L2
import Glibc

/// One driver buffer mapped into this process (VIDIOC_QUERYBUF + v4l2_mmap); unmapped in `deinit`.
final class MappedBuffer {
    let address: UnsafeMutableRawPointer
    let length: Int

    init(handle: DeviceHandle, index: UInt32) throws(V4L2Error) {
        var buffer = v4l2_buffer()
        buffer.index = index
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        buffer.memory = V4L2_MEMORY_MMAP.rawValue
        try handle.ioctl(CV4L2_VIDIOC_QUERYBUF, "VIDIOC_QUERYBUF", &buffer)
        guard buffer.length > 0, buffer.length <= 512 << 20 else {
            throw V4L2Error(
                kind: .invalidDriverData, operation: "VIDIOC_QUERYBUF", device: handle.path,
                message: "the driver announced a buffer of \(buffer.length) bytes")
        }
        let mapped = cv4l2_mmap_buffer(handle.descriptor, Int(buffer.length), Int64(buffer.m.offset))
        guard let mapped, cv4l2_map_failed(mapped) == 0 else {
            throw V4L2Error(operation: "mmap", device: handle.path, errno: errno)
        }
        address = mapped
        length = Int(buffer.length)
    }

    deinit { v4l2_munmap(address, length) }

    /// Copies the first `count` bytes out (the frame must leave the buffer before it is re-queued).
    func copy(count: Int) -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: address, count: min(count, length)))
    }
}
