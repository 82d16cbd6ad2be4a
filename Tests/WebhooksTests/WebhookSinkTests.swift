import CoreSupport
import DetectionSinks
import Foundation
import Synchronization
import TestSupport
import Testing
import VideoCore
import Webhooks

/// The webhook sink against a real HTTP server on loopback (`WebhookReceiver`), through libcurl.
@Suite struct WebhookSinkTests {
    @Test func eachEventIsPostedAsItsJSONLineWithItsHeadersAndSignature() throws {
        let receiver = try WebhookReceiver()
        let dir = try ProcessRunner.temporaryDirectory("webhook-secret")
        defer { try? FileManager.default.removeItem(at: dir) }
        let secretFile = dir.appendingPathComponent("secret").path
        try "s3cret-key\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let counters = WebhookCounters()
        let sink = try WebhookFixtures.sink(url: receiver.url, secretFile: secretFile, counters: counters)
        let events = [
            WebhookFixtures.event(track: 1, frame: 3), WebhookFixtures.event(track: 2, frame: 3),
            WebhookFixtures.event(track: 1, frame: 9, kind: .left),
        ]
        try sink.open()
        try sink.write(WebhookFixtures.frame(0, events: []))
        try sink.write(WebhookFixtures.frame(3, events: Array(events[0...1])))
        try sink.writeClosing([events[2]])
        try sink.finish()

        let requests = receiver.requests
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == events.map(WebhookFixtures.body))
        #expect(counters.sent == 3 && counters.failed == 0 && counters.dropped == 0 && counters.attempts == 3)
        for (request, event) in zip(requests, events) {
            #expect(request.method == "POST" && request.path == "/hook")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["user-agent"] == "facestream/test")
            #expect(request.headers["x-facestream-event"] == event.kind.rawValue)
            // The trailing newline of the file is not part of the key.
            let expected = HMACSHA256.hex(for: request.body, key: Array("s3cret-key".utf8))
            #expect(request.headers["x-facestream-signature"] == "sha256=" + expected)
            // An independent implementation agrees.
            let bodyFile = dir.appendingPathComponent("body").path
            try Data(request.body).write(to: URL(fileURLWithPath: bodyFile))
            let openssl = try ProcessRunner.run(
                "/usr/bin/env", ["openssl", "dgst", "-sha256", "-hmac", "s3cret-key", bodyFile])
            #expect(openssl.status == 0, "\(openssl.stderr)")
            #expect(openssl.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("= " + expected))
        }
    }

    @Test func withoutASecretFileRequestsAreNotSigned() throws {
        let receiver = try WebhookReceiver()
        let sink = try WebhookFixtures.sink(url: receiver.url)
        try sink.open()
        try sink.write(WebhookFixtures.frame(1, events: [WebhookFixtures.event(track: 1, frame: 1)]))
        try sink.finish()
        #expect(receiver.requests.count == 1 && receiver.requests.first?.headers["x-facestream-signature"] == nil)
    }

    @Test func aServerAnswering500GetsEveryAttemptThenTheEventCountsAsFailed() throws {
        let receiver = try WebhookReceiver { _, _ in .status(500) }
        let counters = WebhookCounters()
        let sink = try WebhookFixtures.sink(url: receiver.url, attempts: 3, counters: counters)
        try sink.open()
        try sink.write(WebhookFixtures.frame(1, events: [WebhookFixtures.event(track: 1, frame: 1)]))
        try sink.finish()
        #expect(receiver.requests.count == 3)
        #expect(Set(receiver.requests.map(\.body)).count == 1)
        #expect(counters.sent == 0 && counters.failed == 1 && counters.dropped == 0 && counters.attempts == 3)
    }

    @Test func aHugeAnswerIsReadOnlyUpToItsLimitAndItsStatusCounts() throws {
        // 64 MiB of answer: read up to WebhookLimits.maximumResponseBytes, then the transfer ends;
        // the 200 already read makes the event delivered, with no retry.
        let receiver = try WebhookReceiver { _, _ in .body(status: 200, bytes: 64 << 20) }
        let counters = WebhookCounters()
        let sink = try WebhookFixtures.sink(url: receiver.url, attempts: 3, counters: counters)
        try sink.open()
        try sink.write(WebhookFixtures.frame(1, events: [WebhookFixtures.event(track: 1, frame: 1)]))
        try sink.finish()
        #expect(receiver.requests.count == 1)
        #expect(counters.sent == 1 && counters.failed == 0 && counters.attempts == 1)
        // The client stopped reading: far less than the answer got through (socket buffers on
        // both ends hold a few MiB at most).
        #expect(receiver.answerBytesSent < 32 << 20, "\(receiver.answerBytesSent) bytes taken")
    }

    @Test func aRefusalOtherThan408Or429IsNotRetried() throws {
        let receiver = try WebhookReceiver { _, number in number == 0 ? .status(429) : .status(403) }
        let counters = WebhookCounters()
        let sink = try WebhookFixtures.sink(url: receiver.url, attempts: 4, counters: counters)
        try sink.open()
        try sink.write(WebhookFixtures.frame(1, events: [WebhookFixtures.event(track: 1, frame: 1)]))
        try sink.finish()
        // 429 is retried once, then 403 ends it.
        #expect(receiver.requests.count == 2)
        #expect(counters.failed == 1 && counters.attempts == 2)
    }

    @Test func aServerThatNeverAnswersTimesOutIsRetriedAndTheEndIsBounded() throws {
        let receiver = try WebhookReceiver { _, _ in .silence }
        let counters = WebhookCounters()
        let sink = try WebhookFixtures.sink(
            url: receiver.url, timeout: .milliseconds(300), attempts: 2, finishWait: .seconds(1), counters: counters)
        try sink.open()
        for index in 0..<5 {
            try sink.write(
                WebhookFixtures.frame(index, events: [WebhookFixtures.event(track: index + 1, frame: index)]))
        }
        // Returns: what could not be delivered within the wait is dropped, not waited for.
        try sink.finish()
        #expect(receiver.requests.count >= 2)
        #expect(counters.sent == 0 && counters.attempts >= 2)
        #expect(counters.failed + counters.dropped == 5 && counters.dropped >= 1)
    }

    @Test func aFullQueueDropsTheOldestEvents() throws {
        // The first request is held until the test lets it go: the delivery thread is busy with
        // event 0 while events 1...4 arrive at a queue of two.
        let release = DispatchSemaphore(value: 0)
        let receiver = try WebhookReceiver { _, number in
            if number == 0 { release.wait() }
            return .status(204)
        }
        let counters = WebhookCounters()
        let sink = try WebhookFixtures.sink(url: receiver.url, capacity: 2, counters: counters)
        try sink.open()
        let events = (0..<5).map { WebhookFixtures.event(track: $0 + 1, frame: $0) }
        try sink.write(WebhookFixtures.frame(0, events: [events[0]]))
        #expect(receiver.waitForRequests(1).count == 1)
        for index in 1..<5 { try sink.write(WebhookFixtures.frame(index, events: [events[index]])) }
        #expect(counters.dropped == 2)
        release.signal()
        try sink.finish()
        #expect(
            receiver.requests.map { String(decoding: $0.body, as: UTF8.self) }
                == [events[0], events[3], events[4]].map(WebhookFixtures.body))
        #expect(counters.sent == 3 && counters.dropped == 2 && counters.failed == 0)
    }

    @Test func aMissingSecretFileFailsTheOpen() throws {
        let sink = try WebhookFixtures.sink(url: "http://127.0.0.1:9/hook", secretFile: "/nonexistent/secret")
        let failure = #expect(throws: OutputFailure.self) { try sink.open() }
        #expect(failure?.description.contains("/nonexistent/secret") == true)
        try sink.finish()
    }
}
