import CoreSupport
import Foundation
import TestSupport
import Testing
import Webhooks

@testable import FaceStreamDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// A stream's `webhook` keys: parsed and checked, and, in the real daemon, every track event POSTed
/// and counted in `facestream_webhook_deliveries_total`.
@Suite struct DaemonWebhookTests {
    @Test func webhookKeysBecomeAWebhookRequestAndTurnTrackingOn() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [[stream]]
            name = "door"
            source = "door.mp4"
            webhook = "https://user:pw@example.com/hook"
            webhook_secret_file = "/etc/facestream/door.secret"
            webhook_timeout = 2.5
            """, file: "w.toml")
        let webhook = try #require(configuration.streams[0].outputs.webhook)
        #expect(webhook.endpoint.url == "https://user:pw@example.com/hook")
        #expect(webhook.secretFile == "/etc/facestream/door.secret" && webhook.timeout == .milliseconds(2500))
        #expect(configuration.streams[0].tracking != nil && configuration.streams[0].outputs.events == .none)
        let plain = try ConfigurationLoader.parse("[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n", file: "p.toml")
        #expect(plain.streams[0].outputs.webhook == nil)
    }

    @Test func badWebhookValuesAreProblemsOnTheirLinesWithoutThePassword() {
        let header = "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n"
        let cases: [(String, String)] = [
            ("webhook = \"ftp://bob:hunter2@example.com/\"\n", "http:// or https://"),
            ("webhook = \"http:///x\"\n", "no host"),
            ("webhook = \"http://example.com/\"\nwebhook_timeout = 0\n", "webhook_timeout must be between"),
            ("webhook = \"http://example.com/\"\nwebhook_timeout = 61\n", "webhook_timeout must be between"),
            ("webhook_secret_file = \"/tmp/s\"\n", "webhook_secret_file without a webhook"),
            ("webhook = 5\n", "webhook must be a string"),
        ]
        for (keys, message) in cases {
            let problems = DaemonTestValues.problems(header + keys)
            #expect(problems.contains { $0.line == 4 || $0.line == 5 }, "\(keys): \(problems)")
            #expect(problems.contains { $0.message.contains(message) }, "\(keys): \(problems)")
            #expect(!problems.contains { $0.message.contains("hunter2") })
        }
    }

    @Test func checkConfigFindsAnUnreadableSecretFile() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            fixtures.stream(
                "a", source: "a.mp4",
                extra: "webhook = \"http://127.0.0.1:9/hook\"\nwebhook_secret_file = \"/nonexistent/a.secret\""))
        let result = try FaceStreamBinary.run(["check-config", config])
        #expect(result.status == 78)
        #expect(result.stderr.contains("stream \"a\": webhook secret file /nonexistent/a.secret cannot be read"))
    }

    @Test func aStreamPostsEveryEventAndCountsTheDeliveries() throws {
        let receiver = try WebhookReceiver()
        let fixtures = try DaemonFixtures()
        let video = try fixtures.video("first.mp4")
        let port = try LocalServers.freePort()
        let secret = fixtures.path("first.secret")
        try "daemon-secret\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let config = try fixtures.writeConfig(
            "metrics = \"127.0.0.1:\(port)\"\n"
                + fixtures.stream(
                    "first", source: video,
                    extra: "events = true\nwebhook = \"\(receiver.url)\"\nwebhook_secret_file = \"\(secret)\""))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["first": "finished"])
        let scrape = try ProcessRunner.run(
            "/usr/bin/env", ["curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(port)/metrics"])
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        let events = try fixtures.records("first").filter { $0["event"] != nil }
        let requests = receiver.requests
        #expect(!events.isEmpty && requests.count == events.count)
        for request in requests {
            #expect(
                request.headers["x-facestream-signature"]
                    == "sha256=" + HMACSHA256.hex(for: request.body, key: Array("daemon-secret".utf8)))
        }
        let lines = scrape.stdout.split(separator: "\n")
        #expect(
            lines.contains("facestream_webhook_deliveries_total{stream=\"first\",result=\"sent\"} \(events.count)"),
            "\(scrape.stdout)")
        #expect(lines.contains("facestream_webhook_deliveries_total{stream=\"first\",result=\"failed\"} 0"))
        #expect(lines.contains("facestream_webhook_deliveries_total{stream=\"first\",result=\"dropped\"} 0"))
    }
}
