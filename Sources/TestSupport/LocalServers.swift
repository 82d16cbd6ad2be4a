import Foundation
import Synchronization

/// Network endpoints on 127.0.0.1 for the stream tests: an `ffmpeg` process serving MPEG-TS over
/// HTTP, and a TCP listener that accepts and never sends anything.
public enum LocalServers {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A TCP port that was free a moment ago (bound to port 0, read back, closed).
    public static func freePort() throws -> UInt16 {
        let listener = try TCPListener()
        return listener.port
    }

    /// Waits until something listens on `port` (state 0A in /proc/net/tcp), checking every 20 ms
    /// for at most 10 s: the ffmpeg server cannot report readiness itself, and probing the port
    /// with a connection would use up its single client.
    public static func waitUntilListening(on port: UInt16) throws {
        let needle = String(format: "0100007F:%04X", port)
        for _ in 0..<500 {
            let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
            if table.split(separator: "\n").contains(where: {
                $0.contains(needle) && $0.split(separator: " ")[3] == "0A"
            }) {
                return
            }
            usleep(20_000)
        }
        throw Failure(description: "nothing listens on 127.0.0.1:\(port) after 10 s")
    }
}

/// `ffmpeg -re ... -f mpegts -listen 1 http://127.0.0.1:PORT`: a live H.264 stream of the panning
/// photo at 25 fps for one client. Killed on `kill()` or when released.
public final class StreamServer: @unchecked Sendable {
    // `process` is replaced only under `lock`.
    private let lock = Mutex<RunningProcess?>(nil)
    public let port: UInt16
    /// How long the stream lasts; nil: until killed (a source that never ends on its own, so a
    /// signal always lands mid-stream however fast the reader is).
    public let seconds: Int?
    /// The ffmpeg video filter (default: the pan over the photo).
    public let filter: String

    public init(port: UInt16, seconds: Int? = 60, filter: String = VideoFixtures.panning) throws {
        self.port = port
        self.seconds = seconds
        self.filter = filter
        try start()
    }

    deinit { kill() }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// Starts a new server process and waits until it listens.
    public func start() throws {
        let duration = seconds.map { ["-t", "\($0)"] } ?? []
        let process = try RunningProcess(
            "/usr/bin/env",
            [
                "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-loop", "1", "-i",
                VideoFixtures.photo,
            ]
                + duration + [
                    "-r", "25", "-vf", filter, "-c:v", "libx264", "-tune", "zerolatency", "-g", "5",
                    "-pix_fmt", "yuv420p", "-f", "mpegts", "-listen", "1", url,
                ], output: .discarded, collectsStandardError: false)
        lock.withLock { $0 = process }
        try LocalServers.waitUntilListening(on: port)
    }

    /// Kills the server at once (SIGKILL: no trailer, the connection just drops).
    public func kill() {
        guard
            let process = lock.withLock({ current -> RunningProcess? in
                defer { current = nil }
                return current
            })
        else { return }
        // SIGKILL at once: no trailer, the connection just drops.
        _ = process.waitForExit(timeout: .zero)
    }
}

/// A TCP socket listening on 127.0.0.1 (any free port) that never sends a byte. Closed on release.
public final class TCPListener: @unchecked Sendable {
    // Immutable after init.
    let descriptor: Int32
    public let port: UInt16

    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalServers.Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw LocalServers.Failure(description: "bind/listen: errno \(errno)")
        }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }

    public var url: String { "tcp://127.0.0.1:\(port)" }

    /// Waits up to 10 s for a client and accepts it; returns its descriptor (the caller closes it).
    public func acceptClient() throws -> Int32 {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, 10_000) == 1 else { throw LocalServers.Failure(description: "no client within 10 s") }
        let client = accept(descriptor, nil, nil)
        guard client >= 0 else { throw LocalServers.Failure(description: "accept: errno \(errno)") }
        return client
    }
}
