import DetectionSinks
import TOMLKit

extension ConfigurationLoader {
    /// Keys of a stream that say how its recording is cut into segments and how long they are kept.
    static let segmentKeys = ["segment_seconds", "keep_gb", "keep_days"]

    /// `segment_seconds` (0: one file per run, the recording path itself), `keep_gb` and
    /// `keep_days` (0: no cap). Read after `annotate`; without a recording they change nothing.
    static func readSegments(
        _ table: TOMLTable, into stream: inout StreamSettings, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) {
        let lengths = RecordingSegments.secondsRange
        let seconds = reader.number(
            "segment_seconds", in: table, scope: scope,
            rule: "0 (one file) or between \(Int(lengths.lowerBound)) and \(Int(lengths.upperBound)) seconds",
            hint: "stream seconds per segment file; \(Int(RecordingSegments.defaultSeconds)) is the default",
            isValid: { $0 == 0 || lengths.contains($0) })
        let sizes = RecordingSegments.keepGigabytesRange
        let gigabytes = reader.number(
            "keep_gb", in: table, scope: scope, rule: "between 0 and \(Int(sizes.upperBound)) gigabytes",
            hint:
                "oldest segments are deleted beyond this size; 0 keeps any size, \(Int(RecordingSegments.defaultKeepGigabytes)) is the default",
            isValid: { sizes.contains($0) })
        let ages = RecordingSegments.keepDaysRange
        let days = reader.number(
            "keep_days", in: table, scope: scope, rule: "between 0 and \(Int(ages.upperBound)) days",
            hint:
                "segments older than this are deleted; 0 keeps any age, \(Int(RecordingSegments.defaultKeepDays)) is the default",
            isValid: { ages.contains($0) })
        let length = seconds ?? RecordingSegments.defaultSeconds
        guard length > 0 else { return }
        stream.outputs.annotation?.segments = RecordingSegments(
            seconds: length, keepGigabytes: gigabytes ?? RecordingSegments.defaultKeepGigabytes,
            keepDays: days ?? RecordingSegments.defaultKeepDays)
    }
}
