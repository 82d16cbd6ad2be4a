import Foundation
import TestSupport
import Testing

/// `detect --mqtt` against a real mosquitto broker on a free loopback port, read back with
/// `mosquitto_sub`. Waits are for conditions, with generous timeouts that only catch hangs.
@Suite(.serialized) struct DetectMQTTTests {
    /// The event lines of a JSON-lines output, without their newline.
    func eventLines(_ lines: [String]) -> [String] { lines.filter { $0.contains("\"event\":") } }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// A live stream whose faces come and go: the photo for 2 s, black for 2 s, forever.
    func blinkingStream() throws -> StreamServer {
        try StreamServer(
            port: try LocalServers.freePort(), seconds: nil,
            filter: "crop=320:240:0:0,drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(mod(t,4),2)'")
    }

    @Test func eventsMatchTheJSONLinesAndDiscoveryIsRetained() throws {
        let dir = try ProcessRunner.temporaryDirectory("mqtt-events")
        defer { try? FileManager.default.removeItem(at: dir) }
        let broker = try MosquittoBroker(directory: dir)
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let subscriber = try MQTTSubscriber(port: broker.port, filter: "facestream/#")
        let result = try FaceStreamBinary.run([
            "detect", "--events", "--mqtt", broker.url, "--mqtt-client-id", "node-a", "--name", "front door", clip,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = eventLines(result.stdout.split(separator: "\n").map(String.init))
        #expect(expected.count >= 2)
        // The stream name is reduced to [A-Za-z0-9_-]: "front door" -> front_door.
        let topic = "facestream/front_door/events"
        #expect(subscriber.waitFor { $0.filter { $0.topic == topic }.count >= expected.count })
        #expect(subscriber.payloads(on: topic) == expected)
        // The node said online, then offline on its clean exit; the last state has no face.
        #expect(subscriber.waitFor { $0.contains { $0 == ("facestream/node-a/status", "offline") } })
        #expect(subscriber.payloads(on: "facestream/node-a/status").suffix(2) == ["online", "offline"])
        let state = try json(try #require(subscriber.payloads(on: "facestream/front_door/state").last))
        #expect(state["faces"] as? Int == 0 && (state["tracks"] as? [Int]) == [] && state["ts"] is String)

        // A subscriber arriving later gets the retained discovery configs, state and status.
        let late = try MQTTSubscriber(port: broker.port, filter: "homeassistant/#")
        let occupancy = "homeassistant/binary_sensor/node-a/front_door_face/config"
        let count = "homeassistant/sensor/node-a/front_door_faces/config"
        #expect(
            late.waitFor { messages in [occupancy, count].allSatisfy { t in messages.contains { $0.topic == t } } })
        let binary = try json(try #require(late.payloads(on: occupancy).first))
        #expect(binary["device_class"] as? String == "occupancy")
        #expect(binary["unique_id"] as? String == "facestream_node-a_front_door_face")
        #expect(binary["state_topic"] as? String == "facestream/front_door/state")
        #expect(binary["availability_topic"] as? String == "facestream/node-a/status")
        let sensor = try json(try #require(late.payloads(on: count).first))
        #expect(sensor["unique_id"] as? String == "facestream_node-a_front_door_faces")
        let devices = [binary, sensor].compactMap { ($0["device"] as? [String: Any])?["identifiers"] as? [String] }
        #expect(devices.count == 2 && devices[0] == devices[1])
        let retained = try MQTTSubscriber(port: broker.port, filter: "facestream/+/status")
        #expect(retained.waitFor { $0.contains { $0 == ("facestream/node-a/status", "offline") } })
    }

    /// The broker stops mid-run and comes back: the events of the time between were queued and
    /// arrive after the reconnect, in order; nothing crashes.
    @Test func eventsQueuedWhileTheBrokerIsDownArriveAfterItReturns() throws {
        let dir = try ProcessRunner.temporaryDirectory("mqtt-restart")
        defer { try? FileManager.default.removeItem(at: dir) }
        let broker = try MosquittoBroker(directory: dir)
        let server = try blinkingStream()
        let topic = "facestream/blink/events"
        let before = try MQTTSubscriber(port: broker.port, filter: topic, session: "restart-sub")
        let detect = try RunningProcess(
            FaceStreamBinary.path,
            [
                "detect", "--events-only", "--mqtt", broker.url, "--mqtt-client-id", "node-r", "--name", "blink",
                server.url,
            ], environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path, "FACESTREAM_MODEL": ""])
        defer { detect.signal(SIGKILL) }
        #expect(detect.waitFor(timeout: .seconds(120)) { $0.contains { $0.contains("\"left\"") } }, "\(detect.stderr)")
        #expect(before.waitFor { !$0.isEmpty })
        before.stop()
        broker.stop()
        let linesAtStop = detect.lines.count
        // At least one appear/leave cycle happens while the broker is away.
        #expect(
            detect.waitFor(timeout: .seconds(120)) { lines in
                lines.count >= linesAtStop + 2 && lines.dropFirst(linesAtStop).contains { $0.contains("\"left\"") }
            }, "\(detect.stderr)")
        try broker.start()
        let after = try MQTTSubscriber(port: broker.port, filter: topic, session: "restart-sub")
        let lines = eventLines(detect.lines)
        let received = { before.payloads(on: topic) + after.payloads(on: topic) }
        #expect(after.waitFor { _ in received().count >= lines.count }, "\(detect.stderr)")
        // Every event line written so far was received once, in order.
        #expect(Array(received().prefix(lines.count)) == lines)
        detect.signal(SIGTERM)
        let exit = detect.waitForExit(timeout: .seconds(60))
        #expect(exit.status == 0 && !exit.killed, "\(detect.stderr)")
        #expect(detect.stderr.contains("lost") && detect.stderr.contains("again"), "\(detect.stderr)")
    }

    /// SIGKILL: no clean exit, so the broker publishes the last will: `offline`, retained.
    @Test func aKilledProcessIsMarkedOfflineByItsLastWill() throws {
        let dir = try ProcessRunner.temporaryDirectory("mqtt-will")
        defer { try? FileManager.default.removeItem(at: dir) }
        let broker = try MosquittoBroker(directory: dir)
        let server = try StreamServer(port: try LocalServers.freePort(), seconds: nil)
        let status = "facestream/node-k/status"
        let subscriber = try MQTTSubscriber(port: broker.port, filter: status)
        let detect = try RunningProcess(
            FaceStreamBinary.path, ["detect", "--mqtt", broker.url, "--mqtt-client-id", "node-k", server.url],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path, "FACESTREAM_MODEL": ""], output: .discarded)
        #expect(subscriber.waitFor { $0.contains { $0.payload == "online" } })
        detect.signal(SIGKILL)
        _ = detect.waitForExit(timeout: .seconds(30))
        #expect(subscriber.waitFor { $0.last?.payload == "offline" }, "\(subscriber.messages)")
    }

    @Test func aWrongPasswordIsOneClearLineAndExitOneAfterEveryFrame() throws {
        let dir = try ProcessRunner.temporaryDirectory("mqtt-auth")
        defer { try? FileManager.default.removeItem(at: dir) }
        let passwords = dir.appendingPathComponent("passwords").path
        try ProcessRunner.tool(["mosquitto_passwd", "-c", "-b", passwords, "cam", "right-horse"])
        let broker = try MosquittoBroker(directory: dir, extra: "password_file \(passwords)\n", allowAnonymous: false)
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let wrong = dir.appendingPathComponent("wrong").path
        try "battery-staple\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let right = dir.appendingPathComponent("right").path
        try "right-horse\n".write(toFile: right, atomically: true, encoding: .utf8)
        let url = "mqtt://cam@127.0.0.1:\(broker.port)"

        let refused = try FaceStreamBinary.run(["detect", "--mqtt", url, "--mqtt-password-file", wrong, clip])
        #expect(refused.status == 1, "\(refused.stderr)")
        // Every frame was still analysed and written.
        #expect(refused.stdout.split(separator: "\n").count == 20)
        let errors = refused.stderr.split(separator: "\n").filter { $0.contains("error") }
        #expect(errors.count == 1 && errors[0].contains("refused") && errors[0].contains("--mqtt-password-file"))
        #expect(!refused.stderr.contains("battery") && !refused.stderr.contains("right-horse"))

        let accepted = try FaceStreamBinary.run(["detect", "--mqtt", url, "--mqtt-password-file", right, clip])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stderr.contains("connected to mqtt://cam@127.0.0.1"))

        // A password in the URL is refused before anything runs, without echoing it.
        let inURL = try FaceStreamBinary.run(["detect", "--mqtt", "mqtt://cam:right-horse@127.0.0.1:1", clip])
        #expect(inURL.status == 64 && inURL.stderr.contains("--mqtt-password-file"))
        #expect(!inURL.stderr.contains("right-horse"))
    }

    /// TLS with a CA made here: the right CA connects and publishes, another CA is one clear
    /// error line and exit 1.
    @Test func tlsConnectsWithTheRightCAAndRefusesAnother() throws {
        let dir = try ProcessRunner.temporaryDirectory("mqtt-tls")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        func openssl(_ arguments: [String]) throws { try ProcessRunner.tool(["openssl"] + arguments) }
        for ca in ["ca", "other-ca"] {
            try openssl([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=FaceStream test \(ca)",
                "-keyout", path("\(ca).key"), "-out", path("\(ca).pem"),
            ])
        }
        try openssl([
            "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", path("server.key"), "-out",
            path("server.csr"),
        ])
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: path("san.ext"), atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-days", "2", "-extfile", path("san.ext"), "-out", path("server.pem"),
        ])
        let tlsPort = try LocalServers.freePort()
        let broker = try MosquittoBroker(
            directory: dir,
            extra: """
                listener \(tlsPort) 127.0.0.1
                cafile \(path("ca.pem"))
                certfile \(path("server.pem"))
                keyfile \(path("server.key"))

                """)
        try LocalServers.waitUntilListening(on: tlsPort)
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let subscriber = try MQTTSubscriber(port: broker.port, filter: "facestream/clip/events")
        let url = "mqtts://127.0.0.1:\(tlsPort)"

        let good = try FaceStreamBinary.run(["detect", "--events", "--mqtt", url, "--mqtt-ca", path("ca.pem"), clip])
        #expect(good.status == 0, "\(good.stderr)")
        let expected = eventLines(good.stdout.split(separator: "\n").map(String.init))
        #expect(
            subscriber.waitFor { $0.count >= expected.count }
                && subscriber.payloads(on: "facestream/clip/events") == expected)

        let bad = try FaceStreamBinary.run(["detect", "--mqtt", url, "--mqtt-ca", path("other-ca.pem"), clip])
        #expect(bad.status == 1, "\(bad.stderr)")
        #expect(bad.stdout.split(separator: "\n").count == 20)
        let errors = bad.stderr.split(separator: "\n").filter { $0.contains("error") }
        #expect(errors.count == 1 && errors[0].contains("TLS") && errors[0].contains("--mqtt-ca"), "\(bad.stderr)")
    }
}
