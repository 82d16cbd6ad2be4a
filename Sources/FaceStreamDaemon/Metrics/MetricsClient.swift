import CoreSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One connection to the metrics endpoint: the request read so far, then the answer being sent.
/// Owned by the server's thread; its descriptor is non-blocking.
struct MetricsClient {
    let descriptor: Int32
    /// When the connection is closed, answered or not.
    let deadline: ContinuousClock.Instant
    private var request: [UInt8] = []
    private var answer: [UInt8]?
    private var sent = 0
    /// Whether the connection is done with (answered, closed by the client, or failed).
    private(set) var isFinished = false

    init(descriptor: Int32, deadline: ContinuousClock.Instant) {
        self.descriptor = descriptor
        self.deadline = deadline
    }

    /// What to wait for: the request, then room to send the answer.
    var pollEvents: Int16 { answer == nil ? Int16(POLLIN) : Int16(POLLOUT) }

    /// Reads what arrived or sends what fits, whichever the connection is at.
    mutating func progress(render: () -> String) {
        if answer == nil {
            read()
            if isFinished { return }
            if request.count >= MetricsServer.maximumRequestBytes || request.containsHeaderEnd {
                answer = Array(Self.response(to: request, render: render).utf8)
            }
        }
        if answer != nil { send() }
    }

    private mutating func read() {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let room = min(buffer.count, MetricsServer.maximumRequestBytes - request.count)
        switch retryingInterrupts({ recv(descriptor, &buffer, room, 0) }) {
        case .success(0): isFinished = true
        case .success(let count): request += buffer[0..<count]
        case .failure(let error) where error.code == EAGAIN: break
        case .failure: isFinished = true
        }
    }

    private mutating func send() {
        guard let answer else { return }
        let result = retryingInterrupts {
            answer.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
        }
        switch result {
        case .success(let count):
            sent += count
            if sent == answer.count { isFinished = true }
        case .failure(let error) where error.code == EAGAIN: break
        case .failure: isFinished = true
        }
    }

    /// The whole HTTP answer to `request`.
    static func response(to request: [UInt8], render: () -> String) -> String {
        if !request.containsHeaderEnd {
            return "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        let firstLine = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        if firstLine.count >= 2, firstLine[0] == "GET",
            firstLine[1] == "/metrics" || firstLine[1].hasPrefix("/metrics?")
        {
            let body = render()
            return
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
                + body
        }
        if firstLine.count >= 2, firstLine[0] != "GET" {
            return "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        let body = "not found: try /metrics\n"
        return
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            + body
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
