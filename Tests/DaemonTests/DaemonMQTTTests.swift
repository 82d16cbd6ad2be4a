import FaceStreamDaemon
import Foundation
import TestSupport
import Testing

/// The daemon's `[mqtt]` table: one connection for every stream, against a real broker.
@Suite struct DaemonMQTTTests {
    @Test func everyStreamPublishesThroughOneNode() throws {
        let fixtures = try DaemonFixtures()
        defer { try? FileManager.default.removeItem(at: fixtures.folder) }
        let broker = try MosquittoBroker(directory: fixtures.folder)
        let subscriber = try MQTTSubscriber(port: broker.port, filter: "cams/#")
        let video = try fixtures.video("door.mp4")
        let metricsPort = try LocalServers.freePort()
        let config = try fixtures.writeConfig(
            """
            metrics = "127.0.0.1:\(metricsPort)"
            [mqtt]
            url = "\(broker.url)"
            prefix = "cams"
            client_id = "host-1"

            """ + fixtures.stream("door", source: video, extra: "events = true")
                + fixtures.stream("yard.cam", source: video)
                + fixtures.stream("quiet", source: video, extra: "mqtt = false"))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["door": "finished", "yard.cam": "finished", "quiet": "finished"])
        // Both streams' events arrive (yard.cam is tracked for MQTT even without `tracks`; its
        // name is reduced to yard_cam), the JSON lines of door hold the same events.
        let doorEvents = try fixtures.records("door").filter { $0["event"] != nil }.count
        #expect(doorEvents >= 2)
        #expect(
            subscriber.waitFor { messages in
                messages.filter { $0.topic == "cams/door/events" }.count == doorEvents
                    && messages.filter { $0.topic == "cams/yard_cam/events" }.count == doorEvents
            }, "\(subscriber.messages.map(\.topic))")
        #expect(!subscriber.messages.contains { $0.topic.hasPrefix("cams/quiet/") })
        let metrics = try ProcessRunner.run(
            "/usr/bin/env", ["curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(metricsPort)/metrics"])
        let lines = metrics.stdout.split(separator: "\n")
        #expect(
            lines.contains { $0.hasPrefix("facestream_mqtt_connected ") && $0.hasSuffix(" 1.0") }, "\(metrics.stdout)")
        #expect(lines.contains { $0.hasPrefix("facestream_mqtt_messages_dropped_total 0") })
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "\(stderr)")
        #expect(subscriber.waitFor { $0.last.map { $0 == ("cams/host-1/status", "offline") } ?? false })
        #expect(subscriber.payloads(on: "cams/host-1/status").filter { $0 == "online" }.count == 1)
    }

    /// A stream that publishes is tracked with its own `track_*` settings; one that opts out, or
    /// any stream without a broker, is not tracked unless it asks.
    @Test func publishingStreamsAreTrackedWithTheirSettings() throws {
        let streams = """
            [[stream]]
            name = "door"
            source = "door.mp4"
            track_min_hits = 3

            [[stream]]
            name = "yard"
            source = "yard.mp4"
            mqtt = false
            """
        let published = try ConfigurationLoader.parse("mqtt = \"mqtt://broker\"\n" + streams, file: "f.toml")
        #expect(published.streams.map { $0.tracking?.minimumHits } == [3, nil])
        let unpublished = try ConfigurationLoader.parse(streams, file: "f.toml")
        #expect(unpublished.streams.map { $0.tracking == nil } == [true, true])
    }

    @Test func mqttSettingsAreChecked() throws {
        func problems(_ text: String) -> [String] {
            do {
                _ = try ConfigurationLoader.parse(
                    text + "\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n", file: "f.toml")
                return []
            } catch {
                return error.problems.map(\.description)
            }
        }
        #expect(problems("mqtt = \"mqtt://broker:1883\"").isEmpty)
        #expect(
            problems("[mqtt]\nurl = \"mqtts://cam@broker\"\npassword_file = \"/etc/pw\"\nca = \"/etc/ca.pem\"").isEmpty)
        let secret = problems("mqtt = \"mqtt://cam:hunter2@broker\"")
        #expect(secret.count == 1 && secret.joined().contains("password_file"))
        #expect(!secret.joined().contains("hunter2"))
        #expect(problems("[mqtt]\nprefix = \"x\"").contains { $0.contains("url is missing") })
        #expect(
            problems("[mqtt]\nurl = \"mqtt://b\"\nprefx = \"x\"").contains { $0.contains("did you mean \"prefix\"") })
        #expect(problems("[mqtt]\nurl = \"mqtt://b\"\nprefix = \"a/#\"").contains { $0.contains("prefix") })
        #expect(problems("[mqtt]\nurl = \"mqtt://b\"\nca = \"ca.pem\"").contains { $0.contains("TLS") })
        #expect(problems("[mqtt]\nurl = \"mqtt://b\"\npassword_file = \"pw\"").contains { $0.contains("user") })
        #expect(problems("[mqtt]\nurl = \"mqtt://b\"\nstate_interval = -1").contains { $0.contains("state_interval") })
    }
}
