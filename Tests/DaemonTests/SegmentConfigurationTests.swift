import DetectionSinks
import Testing

@testable import FaceStreamDaemon

/// `segment_seconds`, `keep_gb` and `keep_days`: defaults, values and limits with their lines.
@Suite struct SegmentConfigurationTests {
    @Test func recordingsAreSegmentedByDefaultAndZeroKeepsOneFile() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [[stream]]
            name = "door"
            source = "/dev/video0"
            annotate = "/var/lib/facestream/door.mp4"
            [[stream]]
            name = "yard"
            source = "/dev/video1"
            annotate = "/var/lib/facestream/yard.mkv"
            segment_seconds = 60
            keep_gb = 0.5
            keep_days = 0
            [[stream]]
            name = "gate"
            source = "/dev/video2"
            annotate = "/var/lib/facestream/gate.mkv"
            segment_seconds = 0
            [[stream]]
            name = "hall"
            source = "/dev/video3"
            segment_seconds = 10
            """, file: "test.toml")
        let streams = configuration.streams
        #expect(
            streams[0].outputs.annotation?.segments
                == RecordingSegments(length: .seconds(300), keepBytes: 10_000_000_000, keepAge: .seconds(7 * 86_400)))
        #expect(
            streams[1].outputs.annotation?.segments
                == RecordingSegments(length: .seconds(60), keepBytes: 500_000_000, keepAge: nil))
        #expect(streams[2].outputs.annotation != nil && streams[2].outputs.annotation?.segments == nil)
        #expect(streams[3].outputs.annotation == nil)
    }

    @Test func badValuesAreReportedWithTheirLines() {
        let found = DaemonTestValues.problems(
            """
            [[stream]]
            name = "door"
            source = "/dev/video0"
            annotate = "/var/lib/facestream/door.mp4"
            segment_seconds = 0.5
            keep_gb = -1
            keep_days = "a week"
            [[stream]]
            name = "yard"
            source = "/dev/video1"
            segment_seconds = 100000
            keep_days = 40000
            segment_length = 10
            """)
        #expect(found.map(\.line) == [5, 6, 7, 11, 12, 13], "\(found)")
        let messages = found.map(\.message)
        #expect(
            messages[0]
                == "stream \"door\": segment_seconds must be 0 (one file) or between 1 and 86400 seconds, got 0.5")
        #expect(messages[1] == "stream \"door\": keep_gb must be between 0 and 1000000 gigabytes, got -1.0")
        #expect(messages[2].hasPrefix("stream \"door\": keep_days must be a number"))
        #expect(
            messages[3].contains("segment_seconds must be 0 (one file) or between 1 and 86400 seconds, got 100000.0"))
        #expect(messages[4] == "stream \"yard\": keep_days must be between 0 and 36500 days, got 40000.0")
        #expect(messages[5].contains("segment_length"))
    }
}
