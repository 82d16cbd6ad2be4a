import FrameProcessing
import Testing
import VideoCore

/// The snapshot processor behind the real tracker, on frames of a real photo with scripted
/// detections: which crops it hands to the output, and which paths the events then carry.
@Suite struct TrackSnapshotterTests {
    /// An output that records what it is given and accepts or refuses in a scripted order.
    final class RecordingWriter: SnapshotWriting {
        var submitted: [TrackSnapshot] = []
        /// Answers to the submissions in order (true: queued); once used up, everything is queued.
        var answers: [Bool]

        init(answers: [Bool] = []) {
            self.answers = answers
        }

        func submit(_ snapshot: TrackSnapshot) -> String? {
            submitted.append(snapshot)
            let accepted = answers.isEmpty ? true : answers.removeFirst()
            return accepted ? "snaps/t-\(snapshot.track)-\(snapshot.frame).jpg" : nil
        }
    }

    struct Run {
        var events: [TrackEvent] = []
        var eventFrames: [Int] = []
    }

    /// Runs `pictures` (one per frame, nil for a frame without the face) with the left face of
    /// the photo at a fixed place through tracker and snapshotter at 10 fps; returns every event
    /// (those of frames, then the closing ones) and the frames they came with (-1: closing).
    static func run(
        _ pictures: [FramePixels?], writer: RecordingWriter, maximumAge: Duration = .seconds(1)
    ) -> Run {
        var chain = ProcessorChain.standard(
            minimumFaceSize: nil, tracking: TrackerSettings(reportThreshold: 0.7, maximumAge: maximumAge),
            snapshots: TrackSnapshotter(writer: writer))
        var run = Run()
        let blank = FramePixels.rgb(
            RGBImage(width: 450, height: 344, pixels: Array(repeating: 0, count: 450 * 344 * 3)))
        for (index, pixels) in pictures.enumerated() {
            let face = Detection(box: SnapshotPictures.leftFace, score: 0.95, classIndex: 1, label: "face")
            var frame = FrameDetections(
                frame: VideoFrame(pixels: pixels ?? blank, index: index, pts: Double(index) / 10), sequence: index,
                faces: pixels == nil ? [] : [face])
            chain.process(&frame)
            run.events += frame.events
            run.eventFrames += frame.events.map { _ in index }
        }
        let closing = chain.finish()
        run.events += closing
        run.eventFrames += closing.map { _ in -1 }
        return run
    }

    static var cropSize: (Int, Int) {
        let region = CropRegion.around(SnapshotPictures.leftFace, margin: 0.25, width: 450, height: 344)!
        return (region.width, region.height)
    }

    @Test func theAppearedSnapshotIsTheConfirmingFrameAndTheLeftOneTheSharpest() throws {
        let photo = try SnapshotPictures.photo()
        let soft = FramePixels.rgb(SnapshotPictures.blurred(photo))
        let sharp = FramePixels.rgb(photo)
        let writer = RecordingWriter()
        let run = Self.run([soft, soft, soft, sharp, soft, soft], writer: writer)
        #expect(run.events.map(\.kind) == [.appeared, .left])
        #expect(run.events[0].snapshot == "snaps/t-1-1.jpg" && run.eventFrames[0] == 1)
        #expect(run.events[1].snapshot == "snaps/t-1-3.jpg" && run.eventFrames[1] == -1)
        #expect(writer.submitted.map(\.frame) == [1, 3])
        for snapshot in writer.submitted {
            #expect((snapshot.image.width, snapshot.image.height) == Self.cropSize)
        }
        // The left crop is the sharp frame's pixels.
        let region = try #require(CropRegion.around(SnapshotPictures.leftFace, margin: 0.25, width: 450, height: 344))
        #expect(writer.submitted[1].image == region.copy(from: sharp, maximumSide: 1024))
    }

    @Test func whenTheBestIsTheConfirmingFrameItsFileIsNamedTwiceAndWrittenOnce() throws {
        let photo = FramePixels.rgb(try SnapshotPictures.photo())
        let writer = RecordingWriter()
        let run = Self.run(Array(repeating: photo, count: 5), writer: writer)
        #expect(run.events.map(\.snapshot) == ["snaps/t-1-1.jpg", "snaps/t-1-1.jpg"])
        #expect(writer.submitted.count == 1)
    }

    @Test func aRefusedSnapshotLeavesTheEventWithoutAPathAndTheLeftOneIsTriedAgain() throws {
        let photo = FramePixels.rgb(try SnapshotPictures.photo())
        let writer = RecordingWriter(answers: [false])
        let run = Self.run(Array(repeating: photo, count: 4), writer: writer)
        #expect(run.events[0].kind == .appeared && run.events[0].snapshot == nil)
        #expect(run.events[1].kind == .left && run.events[1].snapshot == "snaps/t-1-1.jpg")
        #expect(writer.submitted.count == 2)
    }

    @Test func aTrackEndingMidRunGetsItsSnapshotWithTheFrameItEndsAt() throws {
        let photo = FramePixels.rgb(try SnapshotPictures.photo())
        let pictures: [FramePixels?] = Array(repeating: photo, count: 4) + Array(repeating: nil, count: 12)
        let writer = RecordingWriter()
        let run = Self.run(pictures, writer: writer, maximumAge: .milliseconds(500))
        #expect(run.events.map(\.kind) == [.appeared, .left])
        #expect(run.eventFrames[1] > 3 && run.eventFrames[1] != -1)
        #expect(run.events[1].snapshot == "snaps/t-1-1.jpg")
    }

    @Test func sampledFramesGiveNoSnapshot() {
        let grid = SampleGrid(width: 450, height: 344, rows: [0, 1], columns: [0, 1])
        let sampled = FramePixels.sampled(
            SampledPicture(grid: grid, pixels: RGBImage(width: 2, height: 2, pixels: Array(repeating: 0, count: 12))))
        let writer = RecordingWriter()
        let run = Self.run(Array(repeating: sampled, count: 4), writer: writer)
        #expect(run.events.count == 2 && run.events.allSatisfy { $0.snapshot == nil })
        #expect(writer.submitted.isEmpty)
    }
}
