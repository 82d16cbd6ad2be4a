import Glibc

/// Why a camera operation failed: a code to switch on, the V4L2 call, the device and errno.
public struct V4L2Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// The device node does not exist (yet), or the device is gone (ENOENT, ENODEV, ENXIO).
        case noDevice
        /// The device failed an I/O operation (EIO): typically a camera being unplugged.
        case ioFailed
        /// The node is not a V4L2 device (ENOTTY on VIDIOC_QUERYCAP).
        case notACamera
        /// A V4L2 node that cannot capture video by streaming now: a metadata or output node, or a
        /// loopback device whose producer has not started.
        case notCapturing
        /// Permission denied (EACCES, EPERM): the user is not in the `video` group.
        case permissionDenied
        /// Another process is streaming from the device (EBUSY).
        case busy
        /// No pixel format this program can convert, or the requested one is not offered.
        case unsupportedFormat
        /// The driver returned something inconsistent (sizes, buffer counts).
        case invalidDriverData
        /// No frame within the frame timeout.
        case timedOut
        /// Any other errno.
        case other
    }

    /// The kind of failure.
    public var kind: Kind
    /// The failing call, e.g. `"VIDIOC_DQBUF"`, `"open"`, `"mmap"`.
    public var operation: String
    /// The device path.
    public var device: String
    /// errno, or 0 when the failure is not a system call's.
    public var errno: Int32
    /// Human-readable explanation (strerror text when there is an errno).
    public var message: String

    /// An error value.
    public init(kind: Kind, operation: String, device: String, errno: Int32 = 0, message: String) {
        self.kind = kind
        self.operation = operation
        self.device = device
        self.errno = errno
        self.message = message
    }

    /// An error from a failed system call, its kind derived from `errno`.
    init(operation: String, device: String, errno code: Int32) {
        self.init(
            kind: Self.kind(of: code, operation: operation), operation: operation, device: device, errno: code,
            message: String(cString: strerror(code)))
    }

    /// Whether the failure may go away by itself (device unplugged, not there yet, busy), so a
    /// live source should wait and reopen rather than give up.
    public var isTransient: Bool {
        switch kind {
        case .noDevice, .ioFailed, .busy, .timedOut: true
        default: false
        }
    }

    public var description: String { "\(device): \(operation) failed: \(message)" }

    static func kind(of code: Int32, operation: String) -> Kind {
        switch code {
        case ENOENT, ENODEV, ENXIO: .noDevice
        case EIO, EPIPE: .ioFailed
        case ENOTTY: operation == "VIDIOC_QUERYCAP" ? .notACamera : .other
        case EACCES, EPERM: .permissionDenied
        case EBUSY: .busy
        case ETIMEDOUT: .timedOut
        default: .other
        }
    }
}
