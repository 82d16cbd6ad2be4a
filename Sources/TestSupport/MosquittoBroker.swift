import Foundation
import Synchronization

/// Runs a program with SIGTERM and SIGINT unblocked and at their default disposition: children
/// of the test runner inherit them blocked or ignored, and mosquitto and mosquitto_sub would then
/// never see the SIGTERM that asks them to stop cleanly (save persistence, send DISCONNECT).
enum SignalReset {
    static func arguments(_ command: [String]) -> [String] {
        let script = """
            import os, signal, sys
            for s in (signal.SIGTERM, signal.SIGINT):
                signal.signal(s, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
            os.execvp(sys.argv[1], sys.argv[1:])
            """
        return ["python3", "-c", script] + command
    }
}

/// A real mosquitto broker on 127.0.0.1 for the MQTT tests, configured in its own folder
/// (persistence on, so a stop and start keeps retained messages and persistent sessions).
/// Stopped (SIGTERM, which saves the persistence file) by `stop()` or when released.
public final class MosquittoBroker: @unchecked Sendable {
    // `process` is replaced only under `lock`.
    private let lock = Mutex<RunningProcess?>(nil)
    /// The plain MQTT port.
    public let port: UInt16
    /// The broker's folder (configuration, persistence, log).
    public let directory: URL
    private let configuration: URL

    /// A broker listening on a free port; `extra` is appended to its configuration (more
    /// listeners, a password file). `allowAnonymous` applies to every listener.
    public init(directory: URL, extra: String = "", allowAnonymous: Bool = true) throws {
        self.directory = directory
        port = try LocalServers.freePort()
        configuration = directory.appendingPathComponent("mosquitto.conf")
        let text = """
            per_listener_settings false
            allow_anonymous \(allowAnonymous)
            persistence true
            persistence_location \(directory.path)/
            user root
            log_dest file \(directory.path)/mosquitto.log
            log_type all
            listener \(port) 127.0.0.1

            """ + extra
        try text.write(to: configuration, atomically: true, encoding: .utf8)
        try start()
    }

    deinit { stop() }

    /// `mqtt://127.0.0.1:PORT`.
    public var url: String { "mqtt://127.0.0.1:\(port)" }

    /// Starts the broker and waits until it listens (on `port` and on `alsoListening`).
    public func start(alsoListening: [UInt16] = []) throws {
        let process = try RunningProcess(
            "/usr/bin/env", SignalReset.arguments(["mosquitto", "-c", configuration.path]), output: .discarded,
            collectsStandardError: true)
        lock.withLock { $0 = process }
        for port in [port] + alsoListening { try LocalServers.waitUntilListening(on: port) }
    }

    /// Stops the broker with SIGTERM (it saves its persistence file) and waits for it.
    public func stop() {
        guard
            let process = lock.withLock({ current -> RunningProcess? in
                defer { current = nil }
                return current
            })
        else { return }
        process.signal(SIGTERM)
        _ = process.waitForExit(timeout: .seconds(20))
    }

    /// The broker's log so far.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("mosquitto.log"), encoding: .utf8)) ?? ""
    }
}

/// `mosquitto_sub` (line-buffered through `stdbuf`: it writes with stdio) on a topic filter, QoS 1, printing `topic payload` lines (`-v`); with
/// `session`, a persistent session under that client id (`-c -i`), so messages published while
/// it is away are kept for it by the broker.
public final class MQTTSubscriber: @unchecked Sendable {
    private let process: RunningProcess

    /// Subscribes to `filter` on the broker at 127.0.0.1:`port` and waits for the SUBACK.
    public init(port: UInt16, filter: String, session: String? = nil, extra: [String] = []) throws {
        let sessionArguments = session.map { ["-c", "-i", $0] } ?? []
        process = try RunningProcess(
            "/usr/bin/env",
            SignalReset.arguments(
                [
                    "stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", "\(port)", "-q", "1", "-v", "-d", "-t",
                    filter,
                ]
                    + sessionArguments + extra))
        guard process.waitFor(timeout: .seconds(30), { $0.contains { $0.contains("received SUBACK") } }) else {
            throw LocalServers.Failure(description: "mosquitto_sub got no SUBACK: \(process.stderr) \(process.stdout)")
        }
    }

    deinit { stop() }

    /// Received messages so far, in order: (topic, payload text).
    public var messages: [(topic: String, payload: String)] {
        process.lines.compactMap { line in
            guard !line.hasPrefix("Client "), !line.hasPrefix("Subscribed ("), let space = line.firstIndex(of: " ")
            else { return nil }
            return (String(line[..<space]), String(line[line.index(after: space)...]))
        }
    }

    /// Payloads received on `topic`.
    public func payloads(on topic: String) -> [String] { messages.filter { $0.topic == topic }.map(\.payload) }

    /// Waits until `condition` holds for the messages (at most `timeout`).
    @discardableResult
    public func waitFor(timeout: Duration = .seconds(60), _ condition: ([(topic: String, payload: String)]) -> Bool)
        -> Bool
    {
        process.waitFor(timeout: timeout) { _ in condition(messages) }
    }

    /// Ends the subscriber.
    public func stop() {
        process.signal(SIGTERM)
        _ = process.waitForExit(timeout: .seconds(10))
    }
}
