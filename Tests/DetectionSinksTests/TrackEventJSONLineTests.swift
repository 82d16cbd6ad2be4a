import DetectionSinks
import Foundation
import Testing
import VideoCore

/// Event lines name the track's snapshot file, or say null.
@Suite struct TrackEventJSONLineTests {
    static func event(_ kind: TrackEvent.Kind, snapshot: String?) -> TrackEvent {
        let sighting = TrackEvent.Sighting(
            frame: 7, pts: 0.7, receivedAt: nil, box: BoundingBox(x1: 1, y1: 2, x2: 30, y2: 40), score: 0.9)
        return TrackEvent(
            kind: kind, track: 3, first: sighting, latest: sighting, best: sighting, frames: 5, snapshot: snapshot)
    }

    @Test(arguments: [TrackEvent.Kind.appeared, .left])
    func theSnapshotIsThePathOrNull(kind: TrackEvent.Kind) throws {
        let path = "/var/lib/facestream/snap \"door\"/door-3-7.jpg"
        let line = Self.event(kind, snapshot: path).jsonLine(source: "door")
        #expect(line.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["snapshot"] as? String == path && object["event"] as? String == kind.rawValue)
        let without = Self.event(kind, snapshot: nil).jsonLine(source: "door")
        #expect(without.hasSuffix(",\"snapshot\":null}\n"))
    }
}
