import DetectionSinks
import Foundation
import MQTTClient
import Testing

/// Broker URLs, password files and stream names: what is accepted, what is refused and how.
@Suite struct MQTTBrokerAddressTests {
    @Test func urlsParseWithDefaultPorts() throws {
        let plain = try MQTTBrokerAddress.parse("mqtt://broker.lan")
        #expect(plain == MQTTBrokerAddress(host: "broker.lan", port: 1883, usesTLS: false, user: nil))
        let tls = try MQTTBrokerAddress.parse("mqtts://cam@10.0.0.2:8884/")
        #expect(tls == MQTTBrokerAddress(host: "10.0.0.2", port: 8884, usesTLS: true, user: "cam"))
        #expect(tls.description == "mqtts://cam@10.0.0.2:8884")
        let v6 = try MQTTBrokerAddress.parse("mqtt://[::1]:1999")
        #expect(v6.host == "::1" && v6.port == 1999 && v6.description == "mqtt://[::1]:1999")
    }

    @Test func aPasswordInTheURLIsRefusedWithoutEchoingIt() {
        do {
            _ = try MQTTBrokerAddress.parse("mqtt://cam:s3cret@broker:1883")
            Issue.record("a password in the URL was accepted")
        } catch {
            #expect(error.code == .badAddress)
            #expect(error.description.contains("--mqtt-password-file"))
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test func badURLsAreRefused() {
        for url in [
            "http://broker", "mqtt://", "mqtt://broker:0", "mqtt://broker:70000", "mqtt://broker/topic",
            "mqtt://bro ker", "mqtt://@broker", "mqtt://" + String(repeating: "a", count: 2000),
        ] {
            #expect(throws: MQTTClientError.self, "\(url.prefix(40))") { try MQTTBrokerAddress.parse(url) }
        }
    }

    @Test func passwordFilesLoseOneTrailingNewlineAndHaveALimit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mqtt-pw-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pw").path
        try Data("pa ss\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try MQTTPassword.read(path: file) == "pa ss")
        try Data("crlf\r\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try MQTTPassword.read(path: file) == "crlf")
        try Data(repeating: 0x61, count: MQTTPassword.maximumBytes + 1).write(to: URL(fileURLWithPath: file))
        #expect(throws: MQTTClientError.self) { try MQTTPassword.read(path: file) }
        try Data("\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: MQTTClientError.self) { try MQTTPassword.read(path: file) }
        #expect(throws: MQTTClientError.self) { try MQTTPassword.read(path: dir.appendingPathComponent("none").path) }
        #expect(throws: MQTTClientError.self) { try MQTTPassword.read(path: dir.path) }
    }

    @Test func streamNamesAreReducedInOnePlace() {
        #expect(StreamName.forInput("/videos/front door.mp4") == "front_door")
        #expect(StreamName.forInput("rtsp://user@cam-door.lan:554/live?x=1") == "cam-door_lan")
        #expect(StreamName.forInput("http://[::1]:8080/") == "__1")
        #expect(StreamName.forInput("/dev/video0") == "video0")
        #expect(StreamName.forInput("-") == "stdin")
        #expect(StreamName.reduced("Küche/ä") == "K_che__")
        #expect(StreamName.reduced("") == "stream")
        #expect(StreamName.reduced(String(repeating: "x", count: 100)).count == StreamName.maximumLength)
    }
}
