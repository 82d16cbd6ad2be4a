import Foundation
import MQTTClient
import TestSupport
import Testing

/// The README's MQTT section states the event queue's size twice; it must be the connection's.
@Suite struct MQTTReadmeTests {
    @Test func theReadmeStatesTheQueueTheConnectionHas() throws {
        let readme = try String(
            contentsOf: SharedData.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let text = readme.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let capacity = MQTTConnectionSettings(
            address: MQTTBrokerAddress(host: "localhost", port: 1883, usesTLS: false, user: nil), clientID: "readme"
        ).queueCapacity
        for phrase in ["messages go to a queue of \(capacity) events", "past \(capacity) the oldest event is dropped"] {
            #expect(text.contains(phrase), "README.md does not say: \(phrase)")
        }
    }
}
