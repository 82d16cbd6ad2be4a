import CoreSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real `AF_UNIX` datagram socket standing in for systemd's notification socket: bind it,
/// pass `address` as `$NOTIFY_SOCKET`, then read what the service sent.
public final class NotifyListener: @unchecked Sendable {
    // Invariant: the descriptor is used by one test at a time (the test that made it).
    /// The address to put in `$NOTIFY_SOCKET`: a path, or `@name` for the abstract namespace.
    public let address: String
    private let descriptor: Int32
    private var received: [String] = []

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Binds a socket at `path`, or in the abstract namespace when `abstract` (a unique name).
    public init(path: String? = nil, abstract: Bool = false) throws {
        let name =
            abstract
            ? "@facestream-test-\(UUID().uuidString)"
            : (path ?? NSTemporaryDirectory() + "fs-notify-\(UUID().uuidString.prefix(8))")
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(
            MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count + (abstract ? 0 : 1))
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard status == 0 else {
            close(fd)
            throw Failure(description: "bind \(name): \(String(cString: strerror(errno)))")
        }
        address = name
        descriptor = fd
    }

    deinit {
        close(descriptor)
        if !address.hasPrefix("@") { unlink(address) }
    }

    /// Every datagram received so far, in order.
    public var messages: [String] { received }

    /// Reads datagrams until one satisfies `predicate` or `timeout` passes; returns that one.
    @discardableResult
    public func wait(timeout: Duration = .seconds(60), for predicate: (String) -> Bool) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let left = deadline - clock.now
            let milliseconds = Int32(clamping: max(1, left.wholeMilliseconds))
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { break }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count >= 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            received.append(message)
            if predicate(message) { return message }
        }
        throw Failure(description: "no matching notification within \(timeout); received: \(received)")
    }
}
