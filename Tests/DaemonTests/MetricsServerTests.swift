import Foundation
import Logging
import TestSupport
import Testing

@testable import FaceStreamApp
@testable import FaceStreamDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// The metrics endpoint against misbehaving clients, over real loopback sockets: idle and slow
/// clients neither block a scrape nor stay connected past the deadline.
@Suite struct MetricsServerTests {
    struct SocketFailure: Error {
        let errno: Int32
    }

    /// A connected TCP client socket to 127.0.0.1:`port`, with a receive timeout.
    static func connectClient(_ port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw SocketFailure(errno: errno)
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Reads until the server closes the connection (or the 20 s receive timeout); what it sent.
    static func readToEnd(_ fd: Int32) -> (text: String, closed: Bool) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (String(decoding: data, as: UTF8.self), true) }
            // A reset is a close too (the server closed with unread request bytes).
            if count < 0 { return (String(decoding: data, as: UTF8.self), errno == ECONNRESET) }
            data += buffer[0..<count]
        }
    }

    /// A started server on a free loopback port answering `body`.
    static func startServer(body: String) throws -> (server: MetricsServer, port: UInt16) {
        let port = try LocalServers.freePort()
        let server = try MetricsServer(
            address: MetricsAddress(host: "127.0.0.1", port: port), logger: Logger(label: "test")
        ) { body }
        server.start()
        return (server, port)
    }

    @Test func idleAndSlowClientsDoNotBlockAScrapeAndAreCutAtTheDeadline() throws {
        let (server, port) = try Self.startServer(body: "facestream_test 1\n")
        defer { server.stop() }
        // 200 clients that connect and say nothing, and one that sends half a request line.
        let idle = try (0..<200).map { _ in try Self.connectClient(port) }
        defer { for fd in idle { close(fd) } }
        let slow = try Self.connectClient(port)
        defer { close(slow) }
        _ = "GET /met".withCString { send(slow, $0, 8, 0) }
        // A scraper is still answered.
        let scraper = try Self.connectClient(port)
        defer { close(scraper) }
        _ = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".withCString { send(scraper, $0, strlen($0), 0) }
        let answer = Self.readToEnd(scraper)
        #expect(answer.closed)
        #expect(answer.text.hasPrefix("HTTP/1.1 200 OK"), "\(answer.text)")
        #expect(answer.text.hasSuffix("\r\n\r\nfacestream_test 1\n"))
        // Every other connection is closed by the server without an answer: pushed out by newer
        // ones beyond the client limit, or at the deadline (5 s).
        for fd in idle + [slow] {
            let result = Self.readToEnd(fd)
            #expect(result.closed && result.text.isEmpty)
        }
    }

    @Test func oversizedRequestsAndOtherMethodsGetShortAnswers() throws {
        let (server, port) = try Self.startServer(body: "x 1\n")
        defer { server.stop() }
        let huge = try Self.connectClient(port)
        defer { close(huge) }
        let header = "GET /metrics HTTP/1.1\r\nX-Pad: " + String(repeating: "a", count: 20_000)
        _ = header.withCString { send(huge, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        #expect(Self.readToEnd(huge).text.hasPrefix("HTTP/1.1 431"))
        let post = try Self.connectClient(port)
        defer { close(post) }
        _ = "POST /metrics HTTP/1.1\r\n\r\n".withCString { send(post, $0, strlen($0), 0) }
        #expect(Self.readToEnd(post).text.hasPrefix("HTTP/1.1 405"))
    }
}
