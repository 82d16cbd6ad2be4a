import DetectionSinks
import Foundation
import JPEGCodec
import TestSupport
import Testing
import VideoCore

/// The snapshot output on a real folder: JPEG files named for the source, track and frame,
/// written whole; the newest N kept; a missing folder refused before any frame; a full queue
/// dropping new snapshots (with the writer held, no timing); a failed write stopping snapshots.
@Suite struct SnapshotSinkTests {
    static func photo() throws -> RGBImage {
        let path = SharedData.images.appendingPathComponent("imgs/13.jpg").path
        return try JPEGDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// A `width` x `height` crop of the photo from its top-left corner.
    static func crop(_ photo: RGBImage, _ width: Int, _ height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for row in 0..<height { pixels += photo.pixels[(row * photo.width * 3)..<(row * photo.width * 3 + width * 3)] }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func files(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func snapshotsAreJPEGsNamedForSourceTrackAndFrameAndWrittenWhole() throws {
        let folder = try ProcessRunner.temporaryDirectory("snapshots")
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = try Self.photo()
        let sink = SnapshotSink(request: SnapshotRequest(folder: folder.path), naming: SnapshotNaming(source: "door"))
        #expect(sink.needsPixels)
        try sink.open()
        let sizes = [(91, 127), (40, 33), (1, 1)]
        var paths: [String?] = []
        for (index, size) in sizes.enumerated() {
            paths.append(
                sink.submit(TrackSnapshot(track: index + 1, frame: 10 * index, image: Self.crop(photo, size.0, size.1)))
            )
        }
        try sink.finish()
        #expect(paths == ["door-1-0.jpg", "door-2-10.jpg", "door-3-20.jpg"].map { folder.path + "/" + $0 })
        // Only the files: no temporary or probe file is left behind.
        #expect(try Self.files(folder) == ["door-1-0.jpg", "door-2-10.jpg", "door-3-20.jpg"])
        for (path, size) in zip(paths, sizes) {
            let decoded = try JPEGDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path!))))
            #expect(decoded.width == size.0 && decoded.height == size.1)
        }
        #expect(sink.snapshotCounts.written == 3 && sink.snapshotCounts.dropped == 0)
    }

    @Test func keepDeletesTheOldestFilesOfThisSourceOnly() throws {
        let folder = try ProcessRunner.temporaryDirectory("snapshots-keep")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Files from an earlier run (older), another source's files and a file that only looks alike.
        let earlier = Date(timeIntervalSinceNow: -3600)
        for (name, age) in [
            ("door-1-5.jpg", 2.0), ("door-2-9.jpg", 1.0), ("yard-1-1.jpg", 3.0), ("door-notes.jpg", 4.0),
        ] {
            let path = folder.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data([1])))
            try FileManager.default.setAttributes(
                [.modificationDate: earlier.addingTimeInterval(-age)], ofItemAtPath: path)
        }
        let sink = SnapshotSink(
            request: SnapshotRequest(folder: folder.path, keep: 3), naming: SnapshotNaming(source: "door"))
        try sink.open()
        let image = Self.crop(try Self.photo(), 20, 20)
        for frame in [1, 2] { _ = sink.submit(TrackSnapshot(track: 7, frame: frame, image: image)) }
        try sink.finish()
        #expect(
            try Self.files(folder) == [
                "door-2-9.jpg", "door-7-1.jpg", "door-7-2.jpg", "door-notes.jpg", "yard-1-1.jpg",
            ])
    }

    @Test func aMissingFolderOrAFileIsOneClearErrorAtOpen() throws {
        let folder = try ProcessRunner.temporaryDirectory("snapshots-missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nope").path
        let sink = SnapshotSink(request: SnapshotRequest(folder: missing), naming: SnapshotNaming(source: "door"))
        #expect(throws: OutputFailure.self) { try sink.open() }
        do {
            try sink.open()
        } catch {
            #expect(
                error.description
                    == "snapshots: folder \(missing) does not exist; create it (mkdir -p \(missing)) or choose another folder"
            )
        }
        try sink.finish()  // nothing was started: returns at once
        let file = folder.appendingPathComponent("file").path
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        let onFile = SnapshotSink(request: SnapshotRequest(folder: file), naming: SnapshotNaming(source: "door"))
        do {
            try onFile.open()
            Issue.record("a file was taken for a folder")
        } catch {
            #expect(error.description.contains("is not a folder"))
        }
    }

    /// The writer is held in its first write; the queue then takes `capacity` snapshots and turns
    /// the next one away. Everything queued is written once the writer goes on.
    @Test func aFullQueueDropsTheNewSnapshotAndKeepsTheQueuedOnes() throws {
        let folder = try ProcessRunner.temporaryDirectory("snapshots-full")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let sink = SnapshotSink(
            request: SnapshotRequest(folder: folder.path), naming: SnapshotNaming(source: "door"), queueCapacity: 2,
            willWrite: { snapshot in
                if snapshot.frame == 0 {
                    entered.signal()
                    release.wait()
                }
            })
        try sink.open()
        let image = Self.crop(try Self.photo(), 30, 30)
        #expect(sink.submit(TrackSnapshot(track: 1, frame: 0, image: image)) != nil)
        #expect(entered.wait(timeout: .now() + 60) == .success, "the writer never took the first snapshot")
        let queued = [1, 2].map { sink.submit(TrackSnapshot(track: 1, frame: $0, image: image)) }
        let turnedAway = sink.submit(TrackSnapshot(track: 1, frame: 3, image: image))
        #expect(queued.allSatisfy { $0 != nil } && turnedAway == nil)
        #expect(sink.snapshotCounts.dropped == 1)
        release.signal()
        try sink.finish()
        #expect(try Self.files(folder) == ["door-1-0.jpg", "door-1-1.jpg", "door-1-2.jpg"])
        #expect(
            sink.snapshotCounts
                == {
                    var c = SnapshotCounts()
                    c.written = 3
                    c.dropped = 1
                    return c
                }())
    }

    /// A write that fails (here the folder vanished; a full disk takes the same path) stops the
    /// snapshots of the run: what was queued is counted as failed, nothing more is taken.
    @Test func aFailedWriteStopsSnapshotsForTheRun() throws {
        let folder = try ProcessRunner.temporaryDirectory("snapshots-fail")
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let sink = SnapshotSink(
            request: SnapshotRequest(folder: folder.path), naming: SnapshotNaming(source: "door"),
            willWrite: { snapshot in
                if snapshot.frame == 0 {
                    entered.signal()
                    release.wait()
                }
            })
        try sink.open()
        let image = Self.crop(try Self.photo(), 30, 30)
        _ = sink.submit(TrackSnapshot(track: 1, frame: 0, image: image))
        #expect(entered.wait(timeout: .now() + 60) == .success)
        _ = sink.submit(TrackSnapshot(track: 1, frame: 1, image: image))
        try FileManager.default.removeItem(at: folder)
        release.signal()
        try sink.finish()
        #expect(sink.snapshotCounts.failed == 2 && sink.snapshotCounts.written == 0)
        #expect(sink.submit(TrackSnapshot(track: 1, frame: 2, image: image)) == nil)
        #expect(sink.snapshotCounts.failed == 3)
    }

    @Test func sourceNamesAreTheStreamNames() {
        #expect(StreamName.forInput("/videos/door cam.mp4") == "door_cam")
        #expect(StreamName.forInput("clip.tar.mkv") == "clip_tar")
        #expect(StreamName.forInput("rtsp://10.0.0.2:554/live/main?token=x") == "10_0_0_2")
        #expect(StreamName.forInput("/dev/video0") == "video0")
        #expect(StreamName.forInput("-") == "stdin")
        #expect(StreamName.forInput(".hidden") == "_hidden")
        #expect(SnapshotNaming(source: "front.door").source == "front_door")
        let naming = SnapshotNaming(source: "door")
        #expect(naming.isSnapshot("door-12-345.jpg"))
        for other in [
            "door-12-345.jpeg", "door-1.jpg", "door-x-1.jpg", "door-1-2-3.jpg", "doors-1-2.jpg", "door--2.jpg",
        ] {
            #expect(!naming.isSnapshot(other), "\(other)")
        }
    }
}
