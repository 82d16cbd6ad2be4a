import DetectionSinks
import Foundation
import VideoCore

/// Publishes one stream's track events and face state to MQTT through its node's connection:
/// events on `P/S/events` (QoS 1, the event lines' JSON), the state on `P/S/state` (retained,
/// on change, at most every `stateInterval` apart, the last change always) and snapshots on
/// `P/S/snapshot`. Work per frame is a comparison and, on a change, a short JSON string handed
/// to the connection's queue; nothing here waits for the network.
public final class MQTTSink: DetectionSink {
    private let node: MQTTNode
    private let stream: String
    private let source: String
    private let announcesCamera: Bool
    private var cameraAnnounced = false
    /// Confirmed tracks now (appeared, not yet left).
    private var tracks: Set<Int> = []
    /// Faces reported in the latest analysed frame.
    private var faces = 0
    private var lastState: (faces: Int, tracks: Set<Int>)?

    init(node: MQTTNode, stream: String, source: String, announcesCamera: Bool) {
        self.node = node
        self.stream = stream
        self.source = source
        self.announcesCamera = announcesCamera
    }

    /// MQTT needs no pixels.
    public var needsPixels: Bool { false }

    /// Every frame: a state change held back by `state_interval` is published at the next frame.
    public var needsEveryFrame: Bool { true }

    /// Announces the stream to Home Assistant and publishes an empty state.
    public func open() throws(OutputFailure) {
        node.announce(stream: stream, camera: announcesCamera)
        cameraAnnounced = announcesCamera
        publishState(at: Date())
    }

    /// Queues the frame's events and, when the faces or tracks changed, the new state.
    public func write(_ frame: FrameDetections) throws(OutputFailure) {
        take(frame.events)
        if let found = frame.faces { faces = found.count }
        publishState(at: frame.frame.receivedAt ?? Date())
    }

    /// Queues the `left` events of the tracks still open.
    public func writeClosing(_ events: [TrackEvent]) throws(OutputFailure) {
        take(events)
        publishState(at: Date())
    }

    /// The run ended: no face is seen any more.
    public func finish() throws(OutputFailure) {
        faces = 0
        tracks = []
        publishState(at: Date())
    }

    private func take(_ events: [TrackEvent]) {
        for event in events {
            var line = event.jsonLine(source: source)
            if line.hasSuffix("\n") { line.removeLast() }
            node.connection.publish(.init(topic: node.topics.events(stream), text: line, retain: false))
            switch event.kind {
            case .appeared: tracks.insert(event.track)
            case .left: tracks.remove(event.track)
            }
            if let snapshot = event.snapshot {
                if !cameraAnnounced {
                    node.announceCamera(stream: stream)
                    cameraAnnounced = true
                }
                node.connection.publishFile(topic: node.topics.snapshot(stream), path: snapshot)
            }
        }
    }

    private func publishState(at time: Date) {
        if let lastState, lastState.faces == faces, lastState.tracks == tracks { return }
        lastState = (faces, tracks)
        let ids = tracks.sorted().map(String.init).joined(separator: ",")
        let payload = "{\"faces\":\(faces),\"tracks\":[\(ids)],\"ts\":\(JSONText.string(Timestamp.rfc3339(time)))}"
        node.connection.setRetained(
            .init(topic: node.topics.state(stream), text: payload, retain: true),
            minimumInterval: node.options.stateInterval)
    }
}
