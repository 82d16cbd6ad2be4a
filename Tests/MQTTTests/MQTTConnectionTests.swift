import Foundation
import Logging
import TestSupport
import Testing

@testable import MQTTClient

/// `MQTTConnection` on its own: the bound of its queue and the retained topics' last value,
/// against nothing listening and against a real broker.
@Suite struct MQTTConnectionTests {
    func settings(port: UInt16, client: String) -> MQTTConnectionSettings {
        MQTTConnectionSettings(
            address: MQTTBrokerAddress(host: "127.0.0.1", port: Int(port), usesTLS: false, user: nil), clientID: client)
    }

    /// With no broker, events beyond the queue's capacity drop the oldest, counted; what is
    /// left at the end is reported unsent. Publishing never waits for the network.
    @Test func theQueueKeepsTheNewestEventsAndCountsTheRest() throws {
        let port = try LocalServers.freePort()  // nothing listens there
        var settings = settings(port: port, client: "bound-test")
        settings.queueCapacity = 10
        let connection = MQTTConnection(settings: settings, logger: Logger(label: "test"))
        connection.start()
        for index in 0..<25 { connection.publish(MQTTMessage(topic: "t/events", text: "\(index)", retain: false)) }
        let now = connection.statistics
        #expect(now.queued == 10 && now.dropped == 15 && !now.connected && now.sent == 0)
        let kept = connection.shared.withLock { $0.events.map { String(decoding: $0.payload, as: UTF8.self) } }
        #expect(kept == (15..<25).map(String.init))
        let (final, unsent) = connection.finish(timeout: .milliseconds(200))
        #expect(unsent == 10 && final.dropped == 25 && final.failure == nil)
    }

    /// State changes faster than the interval: the broker gets the first and, later, the last
    /// value (the trailing publish), never a stale one at the end.
    @Test func aRetainedTopicEndsOnItsLastValue() throws {
        let dir = try ProcessRunner.temporaryDirectory("mqtt-retained")
        defer { try? FileManager.default.removeItem(at: dir) }
        let broker = try MosquittoBroker(directory: dir)
        let subscriber = try MQTTSubscriber(port: broker.port, filter: "t/state")
        let connection = MQTTConnection(
            settings: settings(port: broker.port, client: "retained-test"), logger: Logger(label: "test"))
        connection.start()
        func set(_ value: Int) {
            connection.setRetained(
                MQTTMessage(topic: "t/state", text: "\(value)", retain: true), minimumInterval: .seconds(1))
        }
        set(1)
        #expect(subscriber.waitFor { $0.last?.payload == "1" })
        // 49 changes right after a publish: held back by the interval, then the last one goes out.
        for value in 2...50 { set(value) }
        #expect(subscriber.waitFor { $0.last?.payload == "50" }, "\(subscriber.messages)")
        // Far fewer messages than changes: the interval held them back.
        #expect(subscriber.payloads(on: "t/state").count < 50)
        let (statistics, unsent) = connection.finish(timeout: .seconds(30))
        #expect(unsent == 0 && statistics.connections == 1 && statistics.sent >= 1)
        let late = try MQTTSubscriber(port: broker.port, filter: "t/state")
        #expect(late.waitFor { $0.first?.payload == "50" }, "\(late.messages)")
    }
}
