import CoreSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One finished segment as retention sees it.
public struct SegmentFile: Sendable, Equatable {
    /// File name in the recording's folder.
    public var name: String
    /// Start time, read from the name.
    public var start: Date
    /// Size on disk.
    public var bytes: Int64

    /// A segment named `name` that started at `start` and holds `bytes`.
    public init(name: String, start: Date, bytes: Int64) {
        self.name = name
        self.start = start
        self.bytes = bytes
    }
}

/// Which segments of a recording to delete (`keep_gb`, `keep_days`): every segment that started
/// longer than `keepAge` before now, then the oldest ones while the rest take more than
/// `keepBytes`. Runs before each new segment is opened and after the last one closes, so the file
/// being written is never among them.
public enum SegmentRetention {
    /// The names to delete from `files`, oldest first.
    public static func expired(_ files: [SegmentFile], now: Date, keepBytes: Int64?, keepAge: Duration?)
        -> [String]
    {
        let oldestFirst = files.sorted { ($0.start, $0.name) < ($1.start, $1.name) }
        var deleted: [String] = []
        var kept: [SegmentFile] = []
        let cutoff = keepAge.map { now.addingTimeInterval(-$0.inSeconds) }
        for file in oldestFirst {
            if let cutoff, file.start < cutoff { deleted.append(file.name) } else { kept.append(file) }
        }
        guard let keepBytes else { return deleted }
        var total = kept.reduce(Int64(0)) { $0 + $1.bytes }
        for file in kept where total > keepBytes {
            deleted.append(file.name)
            total -= file.bytes
        }
        return deleted
    }

    /// The segments of `naming` in its folder (only names of its exact form).
    static func scan(_ naming: SegmentNaming) -> [SegmentFile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: naming.folder) else { return [] }
        var files: [SegmentFile] = []
        for name in names {
            guard let start = naming.startTime(ofFileName: name) else { continue }
            var status = stat()
            guard stat(naming.path(of: name), &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            files.append(SegmentFile(name: name, start: start, bytes: Int64(status.st_size)))
        }
        return files
    }

    /// Deletes the expired segments of `naming`; returns how many were deleted. Called only while
    /// no segment is being written, so the current one is never among them.
    static func sweep(_ naming: SegmentNaming, settings: RecordingSegments, now: Date) -> Int {
        guard settings.keepBytes != nil || settings.keepAge != nil else { return 0 }
        let names = expired(
            scan(naming), now: now, keepBytes: settings.keepBytes, keepAge: settings.keepAge)
        return names.reduce(0) { count, name in unlink(naming.path(of: name)) == 0 ? count + 1 : count }
    }
}
