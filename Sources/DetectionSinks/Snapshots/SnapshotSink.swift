import Foundation
import JPEGCodec
import Logging
import Synchronization
import VideoCore

/// Counts of one run's snapshots.
public struct SnapshotCounts: Sendable, Equatable {
    /// Files written.
    public var written = 0
    /// Snapshots not queued because the queue was full (their events say `"snapshot":null`).
    public var dropped = 0
    /// Snapshots lost to a write error, or not taken after one (writing stops for the run).
    public var failed = 0

    /// Counts of nothing.
    public init() {}
}

/// Writes track snapshots (`--snapshots DIR`) as JPEG files (libjpeg-turbo, quality 90), named
/// `<source>-<track>-<frame>.jpg`, on a thread of its own: the snapshot processor submits crops
/// on the in-order thread through a bounded queue (`queueCapacity`, policy `.rejectNewest`), so
/// the frame path never waits for an encoder or a disk. A full queue drops the new snapshot and
/// counts it; files already named in event lines are still written.
///
/// `open()` checks the folder before the first frame (missing or not writable: one clear
/// `OutputFailure`, the run does not start). A write that fails later (disk full) is logged once;
/// snapshots stop for the rest of the run, which goes on; the counts say how many were lost.
/// `finish()` drains the queue and waits for the last file, so every snapshot named in an event
/// line is on disk (or counted as failed) when the run ends, SIGTERM included.
///
/// Sendable: the queue and the counters are thread-safe; `folder` (mutable) is used by `open()`
/// before the writer thread starts and by that thread alone afterwards; the in-order thread
/// reads only the immutable `naming` and `folderPath`.
public final class SnapshotSink: DetectionSink, SnapshotWriting, @unchecked Sendable {
    /// Snapshots waiting to be written at most: 16 crops of at most 3 MiB each.
    public static let defaultQueueCapacity = 16

    private var folder: SnapshotFolder
    private let naming: SnapshotNaming
    private let folderPath: String
    private let quality: Int
    private let logger: Logger?
    private let queue: BoundedQueue<Job>
    private let counts = Mutex(SnapshotCounts())
    /// Set by the writer thread at the first failed write; later snapshots are not taken.
    private let stopped = Atomic(false)
    private let done = DispatchSemaphore(value: 0)
    private var started = false
    /// Called on the writer thread before each snapshot is encoded: tests hold the writer with it.
    private let willWrite: (@Sendable (TrackSnapshot) -> Void)?

    private struct Job: Sendable {
        var name: String
        var snapshot: TrackSnapshot
    }

    /// A sink writing the snapshots of source `naming.source` to `request.folder`, keeping the
    /// newest `request.keep` of them (0: all).
    public init(
        request: SnapshotRequest, naming: SnapshotNaming, quality: Int = JPEGEncoder.defaultQuality,
        queueCapacity: Int = defaultQueueCapacity, logger: Logger? = nil,
        willWrite: (@Sendable (TrackSnapshot) -> Void)? = nil
    ) {
        folder = SnapshotFolder(path: request.folder, naming: naming, keep: request.keep)
        self.naming = naming
        folderPath = request.folder
        self.quality = quality
        self.logger = logger
        self.willWrite = willWrite
        queue = BoundedQueue(capacity: queueCapacity, policy: .rejectNewest)
    }

    /// Crops are taken from whole pictures.
    public var needsPixels: Bool { true }

    /// The counts so far; readable from any thread.
    public var snapshotCounts: SnapshotCounts { counts.withLock { $0 } }

    /// Checks the folder, reads which of this source's files it holds, starts the writer thread.
    public func open() throws(OutputFailure) {
        try folder.check()
        folder.scanKept()
        started = true
        let thread = Thread { [self] in
            writeQueued()
            done.signal()
        }
        thread.name = "facestream.snapshots"
        thread.start()
    }

    /// Frames need nothing here: the snapshot processor submits the crops.
    public func write(_ frame: FrameDetections) throws(OutputFailure) {}

    /// Queues `snapshot`; returns its file's path, or nil when it was not queued.
    public func submit(_ snapshot: TrackSnapshot) -> String? {
        if stopped.load(ordering: .relaxed) {
            counts.withLock { $0.failed += 1 }
            return nil
        }
        let name = naming.fileName(track: snapshot.track, frame: snapshot.frame)
        guard queue.push(Job(name: name, snapshot: snapshot)) == .enqueued else {
            counts.withLock { $0.dropped += 1 }
            return nil
        }
        return SnapshotFolder.filePath(name, in: folderPath)
    }

    /// Writes what is queued and waits for the writer thread to end.
    public func finish() throws(OutputFailure) {
        queue.close()
        if started {
            done.wait()
            started = false
        }
    }

    private func writeQueued() {
        while let job = queue.pop() {
            willWrite?(job.snapshot)
            if stopped.load(ordering: .relaxed) {
                counts.withLock { $0.failed += 1 }
                continue
            }
            do {
                let bytes = try JPEGEncoder.encode(job.snapshot.image, quality: quality)
                try folder.write(bytes, as: job.name)
                folder.wrote(job.name)
                counts.withLock { $0.written += 1 }
            } catch {
                stopped.store(true, ordering: .relaxed)
                counts.withLock { $0.failed += 1 }
                logger?.error(
                    "snapshots: cannot write \(folder.filePath(job.name)): \(error); no more snapshots of \(folder.naming.source) in this run (check the free space and permissions of \(folder.path))"
                )
            }
        }
    }
}
