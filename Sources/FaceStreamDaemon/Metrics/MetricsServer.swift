import CoreSupport
import FaceStreamApp
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server for Prometheus scrapes: `GET /metrics` answers the text exposition
/// format made by `render`, another path 404, another method 405; every answer closes its
/// connection. Bound to loopback only (the configuration accepts nothing else).
///
/// One dedicated thread serves every client at once with `poll` on non-blocking sockets, so a
/// slow or idle client cannot hold the endpoint for the others. Everything a client can do is
/// bounded: `maximumClients` connections at once (a new one pushes out the oldest, so a flood of
/// idle connections cannot lock a scraper out), `maximumRequestBytes` of request, and
/// `clientDeadline` from connecting to the last byte of the answer.
final class MetricsServer: Sendable {
    /// Connections served at once; a new connection beyond it closes the oldest.
    static let maximumClients = 64
    /// Longest request read (request line and headers).
    static let maximumRequestBytes = 8192
    /// Longest a client may take from connecting to having read the whole answer.
    static let clientDeadline = Duration.seconds(5)

    let address: MetricsAddress
    private let listener: Int32
    /// `stop()` writes to `wakeUp.1`; the serving thread polls `wakeUp.0`.
    private let wakeUp: (Int32, Int32)
    private let render: @Sendable () -> String
    private let logger: Logger

    /// Binds and listens on `address`; throws a one-line message when that fails (port in use).
    init(address: MetricsAddress, logger: Logger, render: @escaping @Sendable () -> String) throws(FaceStreamError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else {
            throw FaceStreamError(.outputFailed, "metrics: socket: \(String(cString: strerror(errno)))")
        }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = address.port.bigEndian
        inet_pton(AF_INET, address.host, &socketAddress.sin_addr)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var pipeEnds: [Int32] = [-1, -1]
        guard bound == 0, listen(fd, 64) == 0, pipe(&pipeEnds) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw FaceStreamError(.outputFailed, "metrics: cannot listen on \(address): \(reason)")
        }
        for end in pipeEnds { Self.makeNonBlocking(end) }
        self.address = address
        self.listener = fd
        self.wakeUp = (pipeEnds[0], pipeEnds[1])
        self.render = render
        self.logger = logger
    }

    /// Starts the serving thread.
    func start() {
        let thread = Thread { [self] in serve() }
        thread.name = "facestream.metrics"
        thread.start()
    }

    /// Stops serving: the thread wakes up, closes every connection and the listener, and ends.
    func stop() {
        var byte: UInt8 = 1
        _ = retryingInterrupts { write(wakeUp.1, &byte, 1) }
    }

    private func serve() {
        var clients: [MetricsClient] = []
        defer {
            for client in clients { close(client.descriptor) }
            close(listener)
            close(wakeUp.0)
            close(wakeUp.1)
        }
        let clock = ContinuousClock()
        while true {
            var descriptors = [
                pollfd(fd: wakeUp.0, events: Int16(POLLIN), revents: 0),
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            ]
            descriptors += clients.map { pollfd(fd: $0.descriptor, events: $0.pollEvents, revents: 0) }
            let now = clock.now
            let nearest = clients.map(\.deadline).min().map { max(.zero, $0 - now) }
            let timeout = nearest.map { Int32(clamping: max(1, $0.wholeMilliseconds)) } ?? -1
            if case .failure = retryingInterrupts({ poll(&descriptors, nfds_t(descriptors.count), timeout) }) { return }
            if descriptors[0].revents != 0 { return }
            for index in clients.indices where descriptors[index + 2].revents != 0 {
                clients[index].progress(render: render)
            }
            if descriptors[1].revents & Int16(POLLIN) != 0 {
                acceptAll(into: &clients, deadline: clock.now + Self.clientDeadline)
            }
            let time = clock.now
            clients.removeAll { client in
                let over = client.isFinished || time >= client.deadline
                if over { close(client.descriptor) }
                return over
            }
        }
    }

    /// Sets O_NONBLOCK and FD_CLOEXEC on `descriptor`.
    private static func makeNonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }

    /// Accepts every pending connection; beyond `maximumClients`, each closes the oldest one.
    private func acceptAll(into clients: inout [MetricsClient], deadline: ContinuousClock.Instant) {
        while true {
            guard case .success(let connection) = retryingInterrupts({ accept(listener, nil, nil) }) else {
                return  // EAGAIN: none left (or a transient error: try at the next wake-up)
            }
            Self.makeNonBlocking(connection)
            if clients.count >= Self.maximumClients {
                close(clients.removeFirst().descriptor)
            }
            clients.append(MetricsClient(descriptor: connection, deadline: deadline))
        }
    }
}
