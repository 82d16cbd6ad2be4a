import CoreSupport
import Foundation
import TestSupport
import Testing

/// `detect --webhook` through the real binary on a clip of the panning photo, against a real HTTP
/// server on loopback.
@Suite struct WebhookTests {
    private func eventLines(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map(String.init).filter { $0.contains("\"event\":") }
    }

    @Test func everyEventIsPostedAsItsJSONLineAndSigned() throws {
        let dir = try ProcessRunner.temporaryDirectory("webhook")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let secret = dir.appendingPathComponent("secret").path
        try "top-secret\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let receiver = try WebhookReceiver()
        let result = try FaceStreamBinary.run([
            "detect", "--events", "--webhook", receiver.url, "--webhook-secret-file", secret, clip,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = eventLines(result.stdout)
        #expect(lines.count >= 2)
        // The same events, in the same order, as the event lines on stdout.
        let requests = receiver.requests
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == lines)
        for request in requests {
            #expect(
                request.headers["x-facestream-signature"]
                    == "sha256=" + HMACSHA256.hex(for: request.body, key: Array("top-secret".utf8)))
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["user-agent"]?.hasPrefix("facestream/") == true)
        }
        #expect(result.stderr.contains(": \(lines.count) sent, 0 failed, 0 dropped"), "\(result.stderr)")
        #expect(!result.stderr.contains("top-secret"))
    }

    @Test func aWebhookAloneTracksAndWritesTheUsualFrameLines() throws {
        let dir = try ProcessRunner.temporaryDirectory("webhook-alone")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let receiver = try WebhookReceiver()
        let result = try FaceStreamBinary.run(["detect", "--webhook", receiver.url, clip])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 20 && eventLines(result.stdout).isEmpty)
        // Tracking is on: the frame lines carry track ids, and the events went to the receiver.
        #expect(result.stdout.contains("\"track\":"))
        let kinds = receiver.requests.compactMap { $0.headers["x-facestream-event"] }
        #expect(
            kinds.contains("appeared") && kinds.filter { $0 == "appeared" }.count == kinds.filter { $0 == "left" }.count
        )
    }

    /// A receiver answering 500 gets retries and the events count as failed or dropped; the run's
    /// output and exit status do not change.
    @Test func aFailingReceiverChangesNeitherTheOutputNorTheExitStatus() throws {
        let dir = try ProcessRunner.temporaryDirectory("webhook-500")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let receiver = try WebhookReceiver { _, _ in .status(500) }
        let result = try FaceStreamBinary.run(["detect", "--events", "--webhook", receiver.url, clip])
        #expect(result.status == 0, "\(result.stderr)")
        let frameLines = result.stdout.split(separator: "\n").filter { !$0.contains("\"event\":") }
        #expect(frameLines.count == 20)
        // The first event was tried more than once (retries), always with the same body.
        let requests = receiver.requests
        #expect(requests.count >= 2 && requests[0].body == requests[1].body)
        #expect(result.stderr.contains("the receiver answered 500"), "\(result.stderr)")
        #expect(result.stderr.contains(": 0 sent, "), "\(result.stderr)")
    }

    /// A receiver that never answers: queued events are dropped at the end, and the run still ends
    /// (the generous process timeout only catches a hang). An attempt may take 10 s, longer than
    /// the 5 s the end of the run waits, so one is always in flight then, however fast the machine.
    @Test func aSilentReceiverNeverStallsTheRun() throws {
        let dir = try ProcessRunner.temporaryDirectory("webhook-silent")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let receiver = try WebhookReceiver { _, _ in .silence }
        let result = try ProcessRunner.run(
            FaceStreamBinary.path, ["detect", "--events", "--webhook", receiver.url, "--webhook-timeout", "10", clip],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path, "FACESTREAM_MODEL": ""],
            timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").filter { !$0.contains("\"event\":") }.count == 20)
        #expect(receiver.requests.count >= 1)
        #expect(result.stderr.contains("left undelivered when the run ended"), "\(result.stderr)")
    }

    @Test func badWebhookOptionsAreUsageErrorsAndAnUnreadableSecretStopsBeforeTheFirstFrame() throws {
        for arguments in [
            ["--webhook", "ftp://example.com/x"], ["--webhook", "http://"], ["--webhook-secret-file", "/tmp/x"],
            ["--webhook", "http://127.0.0.1:9/", "--webhook-timeout", "0"],
            ["--webhook", "http://127.0.0.1:9/", "--webhook-timeout", "100"],
        ] {
            let result = try FaceStreamBinary.run(["detect"] + arguments + ["clip.mp4"])
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
        let dir = try ProcessRunner.temporaryDirectory("webhook-secret")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let result = try FaceStreamBinary.run([
            "detect", "--webhook", "http://user:hunter2@127.0.0.1:9/", "--webhook-secret-file", "/nonexistent/secret",
            clip,
        ])
        #expect(result.status == 74)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("webhook secret file /nonexistent/secret cannot be read"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
    }
}
