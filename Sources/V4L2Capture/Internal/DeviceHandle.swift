internal import CV4L2
import CoreSupport
import Glibc

/// An open V4L2 device node (through libv4l2), closed in `deinit`. Every ioctl goes through
/// `ioctl(_:_:_:)`, which retries EINTR and turns errno into a `V4L2Error` naming the call and device.
///
/// Belongs to one thread (the capture thread, or the caller of discovery).
final class DeviceHandle {
    let path: String
    let descriptor: Int32

    /// Opens `path` read-write and non-blocking (DQBUF waits are done with poll), checks with a
    /// plain VIDIOC_QUERYCAP that it is a V4L2 device, then hands it to libv4l2 (v4l2_fd_open).
    init(path: String) throws(V4L2Error) {
        self.path = path
        let fd: Int32
        switch retryingInterrupts({ open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC) }) {
        case .success(let opened): fd = opened
        case .failure(let error): throw V4L2Error(operation: "open", device: path, errno: error.code)
        }
        var capability = v4l2_capability()
        if case .failure(let error) = retryingInterrupts({ cv4l2_raw_ioctl(fd, CV4L2_VIDIOC_QUERYCAP, &capability) }) {
            close(fd)
            throw V4L2Error(operation: "VIDIOC_QUERYCAP", device: path, errno: error.code)
        }
        guard v4l2_fd_open(fd, 0) >= 0 else {
            let failure = errno
            close(fd)
            throw V4L2Error(operation: "v4l2_fd_open", device: path, errno: failure)
        }
        descriptor = fd
    }

    deinit { v4l2_close(descriptor) }

    /// Runs one VIDIOC_* request on `argument`; retries EINTR; throws with `name` and the device.
    func ioctl<Argument>(_ request: UInt, _ name: String, _ argument: inout Argument) throws(V4L2Error) {
        let result = ioctlResult(request, &argument)
        if result != 0 { throw V4L2Error(operation: name, device: path, errno: result) }
    }

    /// Like `ioctl(_:_:_:)` but returns errno (0 on success) instead of throwing: for enumerations
    /// that end with EINVAL and for EAGAIN, which are values, not errors.
    func ioctlResult<Argument>(_ request: UInt, _ argument: inout Argument) -> Int32 {
        switch retryingInterrupts({ withUnsafeMutablePointer(to: &argument) { cv4l2_ioctl(descriptor, request, $0) } })
        {
        case .success: 0
        case .failure(let error): error.code
        }
    }
}
