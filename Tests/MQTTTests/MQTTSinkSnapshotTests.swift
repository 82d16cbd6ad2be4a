import DetectionSinks
import Foundation
import Logging
import MQTTClient
import MQTTPublishing
import TestSupport
import Testing
import VideoCore

/// The snapshot seam: an event naming a JPEG that appears a little later (renamed into place)
/// gets the file's bytes published retained on `P/S/snapshot`, and the stream's Home Assistant
/// camera announced.
@Suite struct MQTTSinkSnapshotTests {
    @Test func aSnapshotNamedByAnEventIsPublishedOnceItsFileAppears() throws {
        let dir = try ProcessRunner.temporaryDirectory("mqtt-snapshot")
        defer { try? FileManager.default.removeItem(at: dir) }
        let broker = try MosquittoBroker(directory: dir)
        // `%t %l`: topic and payload length (the payload is binary).
        let subscriber = try MQTTSubscriber(
            port: broker.port, filter: "#", extra: ["-F", "%t %l"])
        var options = MQTTOptions(broker: try MQTTBrokerAddress.parse(broker.url))
        options.clientID = "snap-node"
        let node = try MQTTNode(options: options, logger: Logger(label: "test"))
        node.start()
        let sink = node.sink(stream: "porch", source: "porch.mp4", camera: false)
        try sink.open()
        let final = dir.appendingPathComponent("porch-1-7.jpg")
        let sighting = TrackEvent.Sighting(
            frame: 7, pts: 0.7, receivedAt: nil, box: BoundingBox(x1: 1, y1: 2, x2: 30, y2: 40), score: 0.9)
        let event = TrackEvent(
            kind: .appeared, track: 1, first: sighting, latest: sighting, best: sighting, frames: 2,
            snapshot: final.path)
        try sink.writeClosing([event])
        // The file is written under a temporary name and renamed, after the event was queued.
        let bytes = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let temporary = dir.appendingPathComponent(".porch-1-7.jpg.tmp")
        try bytes.write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: final)
        #expect(
            subscriber.waitFor { $0.contains { $0 == ("facestream/porch/snapshot", "\(bytes.count)") } },
            "\(subscriber.messages)")
        #expect(subscriber.messages.contains { $0.topic == "homeassistant/camera/snap-node/porch_snapshot/config" })
        #expect(subscriber.messages.contains { $0.topic == "facestream/porch/events" })
        #expect(node.finish() == nil)
    }
}
