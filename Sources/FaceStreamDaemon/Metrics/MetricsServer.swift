import FaceStreamApp
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 server for Prometheus scrapes: `GET /metrics` answers the text exposition
/// format made by `render`, anything else 404. One dedicated thread accepts and answers one
/// connection at a time (a scraper every few seconds); each answer closes its connection.
/// Bound to loopback only (the configuration accepts nothing else).
final class MetricsServer: Sendable {
    let address: MetricsAddress
    private let listener: Int32
    private let render: @Sendable () -> String
    private let logger: Logger

    /// Binds and listens on `address`; throws a one-line message when that fails (port in use).
    init(address: MetricsAddress, logger: Logger, render: @escaping @Sendable () -> String) throws(FaceStreamError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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
        guard bound == 0, listen(fd, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw FaceStreamError(.outputFailed, "metrics: cannot listen on \(address): \(reason)")
        }
        self.address = address
        self.listener = fd
        self.render = render
        self.logger = logger
    }

    /// Starts the accept thread.
    func start() {
        let thread = Thread { [self] in serve() }
        thread.name = "facestream.metrics"
        thread.start()
    }

    /// Stops accepting: the blocked `accept` returns and the thread ends.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func serve() {
        defer { close(listener) }
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            answer(connection)
            close(connection)
        }
    }

    private func answer(_ connection: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while request.count < 16384, !request.containsHeaderEnd {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            request += buffer[0..<count]
        }
        let firstLine = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        let response: String
        if firstLine.count >= 2, firstLine[0] == "GET",
            firstLine[1] == "/metrics" || firstLine[1].hasPrefix("/metrics?")
        {
            let body = render()
            response =
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
                + body
        } else if firstLine.count >= 2, firstLine[0] != "GET" {
            response = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        } else {
            let body = "not found: try /metrics\n"
            response =
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
                + body
        }
        var bytes = Array(response.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeMutableBytes {
                send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return }
            offset += sent
        }
        bytes.removeAll()
    }
}

extension [UInt8] {
    /// True once the bytes hold the blank line ending HTTP headers.
    fileprivate var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 3..<count
        where self[index - 3] == 13 && self[index - 2] == 10 && self[index - 1] == 13 && self[index] == 10 {
            return true
        }
        return false
    }
}
