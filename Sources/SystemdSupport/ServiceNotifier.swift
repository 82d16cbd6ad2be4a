import CoreSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Sends `sd_notify(3)` messages to the service manager over the datagram socket named by
/// `$NOTIFY_SOCKET`, without libsystemd.
///
/// The socket is an `AF_UNIX` datagram socket given as a file path, or as `@name` for Linux's
/// abstract namespace. One message is one datagram of newline-separated `KEY=value` lines.
/// A process started outside systemd has no `$NOTIFY_SOCKET`: `init(environment:)` then returns
/// nil and callers skip notification. Thread-safe: every `send` is one `sendto` call.
public final class ServiceNotifier: Sendable {
    /// The socket address as given (`/run/systemd/notify` or `@abstract-name`).
    public let address: String
    private let descriptor: Int32

    /// The notifier for `$NOTIFY_SOCKET`, or nil when it is unset or empty.
    public convenience init?(environment: [String: String]) throws(NotifyError) {
        guard let address = environment["NOTIFY_SOCKET"], !address.isEmpty else { return nil }
        try self.init(address: address)
    }

    /// A notifier for `address`: an absolute path, or `@name` for the abstract namespace.
    public init(address: String) throws(NotifyError) {
        guard address.hasPrefix("/") || address.hasPrefix("@") else {
            throw NotifyError(operation: "NOTIFY_SOCKET", address: address, code: EAFNOSUPPORT)
        }
        guard address.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw NotifyError(operation: "NOTIFY_SOCKET", address: address, code: ENAMETOOLONG)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NotifyError(operation: "socket", address: address, code: errno) }
        self.address = address
        self.descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Sends the assignments as one datagram, e.g. `[.ready, .status("2 streams")]`.
    public func send(_ states: [NotifyState]) throws(NotifyError) {
        let text = states.map(\.assignment).joined(separator: "\n")
        try send(text: text)
    }

    /// Sends `text` (newline-separated `KEY=value` lines) as one datagram, retrying on EINTR.
    public func send(text: String) throws(NotifyError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(self.address.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract namespace
        let pathCapacity = MemoryLayout.size(ofValue: address.sun_path)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes.prefix(pathCapacity - 1))
        }
        // Abstract names are not NUL-terminated: the length says where they end.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
        let length = socklen_t(pathOffset + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let payload = Array(text.utf8)
        let sent = retryingInterrupts {
            payload.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, length)
                    }
                }
            }
        }
        if case .failure(let error) = sent {
            throw NotifyError(operation: "sendto", address: self.address, code: error.code)
        }
    }
}

/// A notification that could not be sent: the call, the socket address, the C error.
public struct NotifyError: Error, CustomStringConvertible, Sendable {
    /// The failing call (`socket`, `sendto`) or `NOTIFY_SOCKET` for a bad address.
    public let operation: String
    /// The socket address from `$NOTIFY_SOCKET`.
    public let address: String
    /// The `errno` value.
    public let code: Int32

    /// One line: what failed and why.
    public var description: String {
        "sd_notify \(operation) \(address): \(String(cString: strerror(code)))"
    }
}
