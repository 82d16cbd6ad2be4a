import DetectionSinks
import Foundation
import Testing

/// Segment names and the retention policy, on plain values.
@Suite struct SegmentNamingTests {
    let naming = SegmentNaming(recordingPath: "/var/lib/facestream/door.mp4")

    @Test func namesCarryTheStartInUTCAndParseBack() {
        #expect(naming.folder == "/var/lib/facestream" && naming.stem == "door" && naming.fileExtension == "mp4")
        let start = Date(timeIntervalSince1970: 1_796_379_300.75)
        #expect(naming.fileName(start: start) == "door-2026-12-04T10-15-00Z.mp4")
        #expect(
            naming.startTime(ofFileName: "door-2026-12-04T10-15-00Z.mp4") == Date(timeIntervalSince1970: 1_796_379_300))
        #expect(naming.path(of: "door-2026-12-04T10-15-00Z.mp4") == "/var/lib/facestream/door-2026-12-04T10-15-00Z.mp4")
        #expect(SegmentNaming(recordingPath: "door.mkv").folder == ".")
    }

    @Test func namesSortAsTheirStartTimes() {
        var generator = SystemRandomNumberGenerator()
        let starts = (0..<200).map { _ in
            Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000, using: &generator)))
        }
        let names = starts.map { naming.fileName(start: $0) }
        #expect(names.sorted() == starts.sorted().map { naming.fileName(start: $0) })
        #expect(names.allSatisfy { naming.startTime(ofFileName: $0) != nil })
    }

    @Test func onlyThisRecordingsSegmentNamesParse() {
        for other in [
            "door.mp4", "door.1.mp4", "door-2026-12-04T10-15-00Z.mkv", "door-2-2026-12-04T10-15-00Z.mp4",
            "front-door-2026-12-04T10-15-00Z.mp4", "door-2026-12-04T10:15:00Z.mp4", "door-2026-02-30T10-15-00Z.mp4",
            "door-2026-12-04T10-15-00.mp4", "door-2026-12-04T10-15-0xZ.mp4", ".door-2026-12-04T10-15-00Z.mp4",
            "door-2026-12-04T10-15-00Z.mp4.tmp",
        ] {
            #expect(naming.startTime(ofFileName: other) == nil, "\(other)")
        }
    }

    static func file(_ name: String, day: Int, bytes: Int64) -> SegmentFile {
        SegmentFile(name: name, start: Date(timeIntervalSince1970: Double(day) * 86_400), bytes: bytes)
    }

    @Test func retentionDeletesWhatIsTooOldThenTheOldestBeyondTheSize() {
        let files = [
            Self.file("e", day: 14, bytes: 300), Self.file("a", day: 1, bytes: 100), Self.file("c", day: 9, bytes: 400),
            Self.file("b", day: 5, bytes: 100), Self.file("d", day: 12, bytes: 200),
        ]
        let now = Date(timeIntervalSince1970: 15 * 86_400)
        // Age only: started more than 7 days before day 15.
        #expect(SegmentRetention.expired(files, now: now, keepBytes: nil, keepAge: .seconds(7 * 86_400)) == ["a", "b"])
        // Size only: 1100 bytes in all; the oldest go until 600 are left.
        #expect(SegmentRetention.expired(files, now: now, keepBytes: 600, keepAge: nil) == ["a", "b", "c"])
        #expect(SegmentRetention.expired(files, now: now, keepBytes: 1100, keepAge: nil).isEmpty)
        // Both: the age first, then the size of what is left (900 bytes).
        #expect(
            SegmentRetention.expired(files, now: now, keepBytes: 500, keepAge: .seconds(7 * 86_400)) == ["a", "b", "c"])
        #expect(SegmentRetention.expired(files, now: now, keepBytes: 0, keepAge: nil) == ["a", "b", "c", "d", "e"])
        #expect(SegmentRetention.expired(files, now: now, keepBytes: nil, keepAge: nil).isEmpty)
        #expect(SegmentRetention.expired([], now: now, keepBytes: 0, keepAge: .zero).isEmpty)
    }

    @Test func configurationValuesBecomeBytesAndDurations() {
        let segments = RecordingSegments(seconds: 300, keepGigabytes: 2.5, keepDays: 0.5)
        #expect(segments.length == .seconds(300))
        #expect(segments.keepBytes == 2_500_000_000)
        #expect(segments.keepAge == .seconds(43_200))
        let uncapped = RecordingSegments(seconds: 1.5, keepGigabytes: 0, keepDays: 0)
        #expect(uncapped.length == .milliseconds(1500) && uncapped.keepBytes == nil && uncapped.keepAge == nil)
    }
}
