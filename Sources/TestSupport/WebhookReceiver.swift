import Foundation
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 (any free port) that records the POSTs it gets and answers
/// as the test says: the receiving end of the webhook tests. One thread accepts, one thread per
/// connection (at most `maximumConnections`; more are closed at once) reads requests one after
/// another (keep-alive), each at most `maximumRequestBytes`. Every blocking call polls with a
/// short timeout, so `stop()` (or release) ends every thread within a fraction of a second.
public final class WebhookReceiver: @unchecked Sendable {
    /// A request as received: header names lowercased.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: [UInt8]
    }

    /// How to answer a request.
    public enum Answer: Sendable {
        /// An answer with this status and an empty body.
        case status(Int)
        /// No answer at all: the connection is held open until the client closes it or the server stops.
        case silence
        /// An answer with this status and a body of `bytes` bytes, sent until the client stops
        /// reading (`answerBytesSent` tells how far it got).
        case body(status: Int, bytes: Int)
    }

    public static let maximumConnections = 16
    public static let maximumRequestBytes = 256 * 1024

    // Immutable after init; `state` is only touched through its Mutex.
    private let listener: TCPListener
    private let answer: @Sendable (Request, Int) -> Answer
    private let state = Mutex<(requests: [Request], connections: Int, stopped: Bool, bodyBytes: Int)>(
        ([], 0, false, 0))
    private let threads = DispatchGroup()

    /// Starts listening; `answer` is called with each request and its 0-based number.
    public init(answer: @escaping @Sendable (Request, Int) -> Answer = { _, _ in .status(200) }) throws {
        listener = try TCPListener()
        self.answer = answer
        threads.enter()
        Thread.detachNewThread { [self] in
            acceptLoop()
            threads.leave()
        }
    }

    deinit { stop() }

    public var url: String { "http://127.0.0.1:\(listener.port)/hook" }
    public var port: UInt16 { listener.port }

    /// Body bytes of `.body` answers the client accepted so far (all connections together).
    public var answerBytesSent: Int { state.withLock { $0.bodyBytes } }

    /// The requests received so far, in arrival order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// Waits (polling every 20 ms, at most `timeout`) until `count` requests arrived; returns them.
    @discardableResult
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(30)) -> [Request] {
        let deadline = ContinuousClock.now + timeout
        while requests.count < count && ContinuousClock.now < deadline { usleep(20_000) }
        return requests
    }

    /// Stops accepting, closes every connection and waits for the threads. Idempotent.
    public func stop() {
        state.withLock { $0.stopped = true }
        threads.wait()
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// Waits up to 100 ms for `descriptor` to become readable; false when it did not or the server stops.
    private func readable(_ descriptor: Int32) -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&request, 1, 100) == 1
    }

    private func acceptLoop() {
        while !isStopped {
            guard readable(listener.descriptor) else { continue }
            let client = accept(listener.descriptor, nil, nil)
            guard client >= 0 else { continue }
            let admitted = state.withLock { state -> Bool in
                guard state.connections < Self.maximumConnections else { return false }
                state.connections += 1
                return true
            }
            guard admitted else {
                close(client)
                continue
            }
            threads.enter()
            Thread.detachNewThread { [self] in
                serve(client)
                close(client)
                state.withLock { $0.connections -= 1 }
                threads.leave()
            }
        }
    }

    /// Requests on one connection, one after another, until the client closes it or the server stops.
    private func serve(_ client: Int32) {
        var buffer: [UInt8] = []
        while !isStopped {
            guard let request = readRequest(client, &buffer) else { return }
            let number = state.withLock { state -> Int in
                state.requests.append(request)
                return state.requests.count - 1
            }
            switch answer(request, number) {
            case .silence:
                // Held until the client gives up (closes) or the server stops.
                var scratch = [UInt8](repeating: 0, count: 4096)
                while !isStopped {
                    guard readable(client) else { continue }
                    if scratch.withUnsafeMutableBytes({ recv(client, $0.baseAddress, $0.count, 0) }) <= 0 { return }
                }
                return
            case .status(let status):
                let text = "HTTP/1.1 \(status) Test\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n"
                let bytes = Array(text.utf8)
                guard
                    bytes.withUnsafeBytes({ send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) })
                        == bytes.count
                else { return }
            case .body(let status, let count):
                guard sendBody(client, status: status, count: count) else { return }
            }
        }
    }

    /// Sends a `status` answer with `count` body bytes; false when the client stopped taking
    /// them (closed, or nothing accepted for 2 s) or the server stops. Each send waits at most
    /// 100 ms, so a client that stops reading cannot hold the thread.
    private func sendBody(_ client: Int32, status: Int, count: Int) -> Bool {
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let head = Array("HTTP/1.1 \(status) Test\r\nContent-Length: \(count)\r\nConnection: keep-alive\r\n\r\n".utf8)
        guard head.withUnsafeBytes({ send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == head.count
        else { return false }
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
        var left = count
        var idle = 0
        while left > 0, !isStopped, idle < 20 {
            let sent = chunk.withUnsafeBytes { send(client, $0.baseAddress, min($0.count, left), Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                left -= sent
                idle = 0
                state.withLock { $0.bodyBytes += sent }
            } else if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                idle += 1
            } else {
                return false
            }
        }
        return left == 0
    }

    /// One request (head and a Content-Length body) from `client`; nil when the connection ends,
    /// the request is malformed or too large, or the server stops.
    private func readRequest(_ client: Int32, _ buffer: inout [UInt8]) -> Request? {
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        var bodyLength = 0
        while true {
            if headEnd == nil, let range = buffer.firstRange(of: separator) {
                headEnd = range.upperBound
                let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                bodyLength = Self.headers(of: head)["content-length"].flatMap { Int($0) } ?? 0
                guard bodyLength <= Self.maximumRequestBytes else { return nil }
            }
            if let headEnd, buffer.count >= headEnd + bodyLength {
                let head = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self)
                let requestLine = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
                let parts = requestLine.split(separator: " ")
                let request = Request(
                    method: parts.first.map(String.init) ?? "", path: parts.count > 1 ? String(parts[1]) : "",
                    headers: Self.headers(of: head), body: Array(buffer[headEnd..<(headEnd + bodyLength)]))
                buffer.removeFirst(headEnd + bodyLength)
                return request
            }
            guard buffer.count <= Self.maximumRequestBytes else { return nil }
            while !readable(client) { if isStopped { return nil } }
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }

    private static func headers(of head: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return headers
    }
}
