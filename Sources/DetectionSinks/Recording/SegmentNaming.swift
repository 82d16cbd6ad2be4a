import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Names of a segmented recording's files: for the configured path `/var/lib/facestream/door.mp4`,
/// `/var/lib/facestream/door-2026-12-04T10-15-00Z.mp4`: the stem, a dash, the segment's start in
/// UTC to the second (no colons, so the names are valid everywhere) and the extension. Names sort
/// as their start times do, and only names of exactly this form are ever deleted by retention.
public struct SegmentNaming: Sendable, Equatable {
    /// The folder the segments go to (the configured path's folder; "." when it names none).
    public let folder: String
    /// The configured file name without its extension, e.g. "door".
    public let stem: String
    /// The container's extension without the dot, e.g. "mp4".
    public let fileExtension: String

    /// Names beside `recordingPath` (a file path with an extension, e.g. "/var/lib/facestream/door.mp4").
    public init(recordingPath: String) {
        let path = recordingPath as NSString
        let folder = path.deletingLastPathComponent
        self.folder = folder.isEmpty ? "." : folder
        stem = (path.lastPathComponent as NSString).deletingPathExtension
        fileExtension = path.pathExtension
    }

    /// Characters of the time part, e.g. `2026-12-04T10-15-00Z`.
    static let timeLength = 20

    /// The file name of a segment that starts at `start` (rounded down to the second).
    public func fileName(start: Date) -> String {
        var seconds = time_t(start.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let time = String(
            format: "%04d-%02d-%02dT%02d-%02d-%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return "\(stem)-\(time).\(fileExtension)"
    }

    /// The start time a segment's file name carries; nil for any other name (other streams'
    /// segments, the single-file recordings `door.mp4`, `door.1.mp4`, files of other programs).
    public func startTime(ofFileName name: String) -> Date? {
        let prefix = stem + "-"
        let suffix = "." + fileExtension
        guard name.hasPrefix(prefix), name.hasSuffix(suffix),
            name.utf8.count == prefix.utf8.count + Self.timeLength + suffix.utf8.count
        else { return nil }
        let time = Array(name.utf8.dropFirst(prefix.utf8.count).prefix(Self.timeLength))
        // yyyy-mm-ddThh-mm-ssZ: digits everywhere except the separators at fixed places.
        let separators: [Int: UInt8] = [4: 45, 7: 45, 10: 84, 13: 45, 16: 45, 19: 90]
        for (index, byte) in time.enumerated() {
            if let separator = separators[index] {
                guard byte == separator else { return nil }
            } else if !(48...57).contains(byte) {
                return nil
            }
        }
        func number(_ range: Range<Int>) -> Int32 { time[range].reduce(0) { $0 * 10 + Int32($1 - 48) } }
        var parts = tm()
        parts.tm_year = number(0..<4) - 1900
        parts.tm_mon = number(5..<7) - 1
        parts.tm_mday = number(8..<10)
        parts.tm_hour = number(11..<13)
        parts.tm_min = number(14..<16)
        parts.tm_sec = number(17..<19)
        let seconds = timegm(&parts)
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        // timegm normalises 2026-02-30 to March: such a name is not one this naming writes.
        return fileName(start: date) == name ? date : nil
    }

    /// The path of the file `name` in the folder.
    public func path(of name: String) -> String { OutputFolder.path(of: name, in: folder) }
}
