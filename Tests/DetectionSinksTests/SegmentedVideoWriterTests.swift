import DetectionSinks
import FFmpegMedia
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
import VideoCore

/// Segmented recordings written with the real encoder and read back with the real ffprobe.
@Suite struct SegmentedVideoWriterTests {
    /// Keeps the messages logged at notice level or above.
    final class Recorder: Sendable {
        let lines = Mutex<[String]>([])
        var logger: Logger { Logger(label: "segments-test") { _ in Handler(recorder: self) } }
        var messages: [String] { lines.withLock { $0 } }
    }

    struct Handler: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .notice
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { recorder.lines.withLock { $0.append("\(event.message)") } }
    }

    /// A 64x48 picture whose grey ramp moves with `index` (real P-frames).
    static func picture(_ index: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: 64 * 48 * 3)
        for y in 0..<48 {
            for x in 0..<64 {
                pixels[(y * 64 + x) * 3..<(y * 64 + x) * 3 + 3] = [UInt8((x * 4 + index * 3) & 255), 90, 160]
            }
        }
        return RGBImage(width: 64, height: 48, pixels: pixels)
    }

    /// Frame times and key-frame flags of a file's video as ffprobe decodes it.
    static func frames(_ path: String) throws -> [(time: Double, key: Bool)] {
        let text = try VideoFixtures.run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time,key_frame",
                "-of", "csv=p=0", path,
            ])
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, let time = Double(fields[1]) else { return nil }
            return (time, fields[0] == "1")
        }
    }

    /// The segment files of `naming` in its folder, by name.
    static func segments(_ naming: SegmentNaming) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: naming.folder)
            .filter { naming.startTime(ofFileName: $0) != nil }.sorted()
    }

    static let base = Date(timeIntervalSince1970: 1_796_379_300)

    @Test func everySegmentStartsWithAKeyFrameAtTimeZeroAndIsNamedByItsStart() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-segments")
        defer { try? FileManager.default.removeItem(at: folder) }
        let naming = SegmentNaming(recordingPath: folder.appendingPathComponent("door.mp4").path)
        nonisolated(unsafe) var clock = Self.base
        let writer = SegmentedVideoWriter(
            naming: naming, settings: RecordingSegments(length: .seconds(1)), frameRate: 10,
            encoder: VideoEncoderOptions(), logger: nil, now: { clock })
        // 4.5 s at 10 fps, the wall clock following the stream (a live source).
        for index in 0..<45 {
            clock = Self.base.addingTimeInterval(Double(index) / 10)
            writer.write(Self.picture(index), pts: 100 + Double(index) / 10)
        }
        writer.finish()
        #expect(writer.framesWritten == 45 && writer.segmentsStarted == 5 && writer.failures == 0)
        let names = try Self.segments(naming)
        #expect(
            names.map { naming.startTime(ofFileName: $0) } == (0..<5).map { Self.base.addingTimeInterval(Double($0)) })
        var counts: [Int] = []
        for name in names {
            let frames = try Self.frames(naming.path(of: name))
            counts.append(frames.count)
            #expect(frames.first?.key == true, "\(name)")
            #expect(abs((frames.first?.time ?? -1)) < 0.001, "\(name)")
            #expect(frames.map(\.time) == frames.map(\.time).sorted())
        }
        #expect(counts == [10, 10, 10, 10, 5])
    }

    /// A 64x48 4:2:0 picture whose samples move with `index`, tagged with `matrixCode`.
    static func planes(_ index: Int, matrixCode: Int) -> YUV420Picture {
        let luma = (0..<(64 * 48)).map { UInt8(truncatingIfNeeded: 16 + ($0 % 64) * 3 + ($0 / 64) + index * 5) }
        let blue = (0..<(32 * 24)).map { UInt8(truncatingIfNeeded: 60 + ($0 % 32) * 2 + index) }
        let red = (0..<(32 * 24)).map { UInt8(truncatingIfNeeded: 200 - ($0 / 32) * 3 - index) }
        return YUV420Picture(
            width: 64, height: 48, luma: luma, blueDifference: blue, redDifference: red,
            coefficients: YUVToRGBCoefficients(
                yOffset: 8192, yScale: 9539, vToRed: 13075, vToGreen: -6660, uToGreen: -3209, uToBlue: 16525),
            matrixCode: matrixCode)
    }

    @Test func decodedPlanesAreRecordedAsTheyAreWithTheirColourTags() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-segments")
        defer { try? FileManager.default.removeItem(at: folder) }
        let naming = SegmentNaming(recordingPath: folder.appendingPathComponent("door.mkv").path)
        nonisolated(unsafe) var clock = Self.base
        // CRF 0 is lossless: the segments must decode to the very planes written.
        let writer = SegmentedVideoWriter(
            naming: naming, settings: RecordingSegments(length: .seconds(60)), frameRate: 10,
            encoder: VideoEncoderOptions(crf: 0), logger: nil, now: { clock })
        // Six BT.709 pictures, then four BT.601 ones: the change of tags starts a second segment.
        // Even frames are painted in the encoder's frame (`paintedPlanes`, rows padded there):
        // they must decode to the picture painted on packed rows.
        let mark: (MutableYUV420Planes) -> Void = { planes in
            for y in 4..<12 { (planes.luma.row(y) + 8).update(repeating: 235, count: 20) }
            for y in 2..<6 { (planes.blueDifference.row(y) + 4).update(repeating: 90, count: 10) }
        }
        let originals = (0..<10).map { Self.planes($0, matrixCode: $0 < 6 ? 1 : 6) }
        let pictures = originals.enumerated().map { $0 % 2 == 0 ? $1.painted(mark) : $1 }
        for (index, picture) in originals.enumerated() {
            clock = Self.base.addingTimeInterval(Double(index) / 10)
            writer.write(
                index % 2 == 0 ? .paintedPlanes(picture, paint: mark) : .planes(picture), pts: Double(index) / 10)
        }
        writer.finish()
        #expect(writer.framesWritten == 10 && writer.segmentsStarted == 2 && writer.failures == 0)
        let names = try Self.segments(naming)
        try #require(names.count == 2)
        for (name, (range, space)) in zip(names, [(0..<6, "bt709"), (6..<10, "smpte170m")]) {
            let path = naming.path(of: name)
            let raw = folder.appendingPathComponent("\(name).yuv").path
            try VideoFixtures.ffmpeg(["-i", path, "-f", "rawvideo", raw])
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: raw)))
            let expected = pictures[range].flatMap { $0.luma + $0.blueDifference + $0.redDifference }
            #expect(bytes == expected, "\(name): the decoded planes differ from those written")
            let tags = try VideoFixtures.run(
                "ffprobe",
                [
                    "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=color_space", "-of", "csv=p=0",
                    path,
                ])
            #expect(tags.trimmingCharacters(in: .whitespacesAndNewlines) == space, "\(name)")
        }
    }

    @Test func retentionDeletesOldSegmentsAndKeepsOtherFiles() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-segments")
        defer { try? FileManager.default.removeItem(at: folder) }
        let naming = SegmentNaming(recordingPath: folder.appendingPathComponent("door.mp4").path)
        let old = naming.fileName(start: Date(timeIntervalSince1970: 1_577_836_800))
        let others = ["door.mp4", "door.1.mp4", "yard-2020-01-01T00-00-00Z.mp4", "door-2020-01-01T00-00-00Z.mkv"]
        for name in [old] + others { try Data("earlier".utf8).write(to: URL(fileURLWithPath: naming.path(of: name))) }
        let writer = SegmentedVideoWriter(
            naming: naming, settings: RecordingSegments(length: .seconds(1), keepBytes: 1, keepAge: .seconds(86_400)),
            frameRate: 10, encoder: VideoEncoderOptions(), logger: nil, now: { Self.base })
        var most = 0
        for index in 0..<35 {
            writer.write(Self.picture(index), pts: Double(index) / 10)
            most = max(most, try Self.segments(naming).count)
        }
        // A 1-byte cap: each closed segment goes before the next one opens; the old one went by age.
        #expect(most == 1)
        #expect(
            try Self.segments(naming) == [try #require(writer.currentPath.map { ($0 as NSString).lastPathComponent })])
        writer.finish()
        #expect(try Self.segments(naming).isEmpty)
        #expect(writer.segmentsStarted == 4 && writer.segmentsDeleted == 5)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == others.sorted())
    }

    @Test func aFailedSegmentIsLoggedOnceAndRecordingResumesAtTheNextBoundary() throws {
        let parent = try ProcessRunner.temporaryDirectory("facestream-segments")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("recordings")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let naming = SegmentNaming(recordingPath: folder.appendingPathComponent("door.mkv").path)
        let recorder = Recorder()
        nonisolated(unsafe) var clock = Self.base
        let writer = SegmentedVideoWriter(
            naming: naming, settings: RecordingSegments(length: .seconds(1)), frameRate: 10,
            encoder: VideoEncoderOptions(), logger: recorder.logger, now: { clock })
        for index in 0..<40 {
            clock = Self.base.addingTimeInterval(Double(index) / 10)
            // The folder disappears (an unmounted disk) for the second segment's start, and is back later.
            if index == 5 { try FileManager.default.removeItem(at: folder) }
            if index == 15 { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false) }
            writer.write(Self.picture(index), pts: Double(index) / 10)
        }
        writer.finish()
        // Segment 1 was written into the removed folder; segment 2 (1.0 ... 2.0 s) failed to open and
        // its frames were skipped; segments 3 and 4 are in the new folder.
        #expect(writer.failures == 1 && writer.segmentsStarted == 3 && writer.framesWritten == 30)
        let names = try Self.segments(naming)
        #expect(names.map { naming.startTime(ofFileName: $0) } == [2, 3].map { Self.base.addingTimeInterval($0) })
        for name in names { #expect(try Self.frames(naming.path(of: name)).count == 10) }
        let messages = recorder.messages
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.first?.contains("recording paused, a new segment is tried in 1 s") == true, "\(messages)")
        #expect(messages.first?.contains(folder.path) == true, "\(messages)")
        #expect(messages.last == "recording resumed: \(naming.path(of: names[0]))")
    }

    @Test func theAnnotatedSinkCarriesItsLookaheadAcrossSegmentBoundaries() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-segments")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("door.mp4").path
        var hiding = HidingOptions()
        hiding.lookahead = .milliseconds(500)
        let request = AnnotationRequest(
            path: path, style: .solid, encoder: VideoEncoderOptions(), hiding: hiding,
            segments: RecordingSegments(length: .seconds(1)))
        let sink = AnnotatedVideoSink(request: request, frameRate: { 10 })
        try sink.open()
        // A face found only at frame 12 (1.2 s): the lookahead hides it from 0.7 s, in the first segment.
        let face = Detection(box: BoundingBox(x1: 16, y1: 8, x2: 48, y2: 40), score: 0.9, classIndex: 1, label: "face")
        for index in 0..<25 {
            let image = RGBImage(width: 64, height: 48, pixels: [UInt8](repeating: 200, count: 64 * 48 * 3))
            var frame = FrameDetections(
                frame: VideoFrame(image: image, index: index, pts: Double(index) / 10), sequence: index,
                faces: index == 12 ? [face] : [])
            frame.shownFaces = frame.faces ?? []
            try sink.write(frame)
        }
        try sink.finish()
        #expect(sink.framesWritten == 25)
        let naming = SegmentNaming(recordingPath: path)
        let names = try Self.segments(naming)
        #expect(names.count == 3)
        #expect(!FileManager.default.fileExists(atPath: path))
        // The centre of the face, per frame of the first segment: dark (hidden) from frame 7 on.
        let first = naming.path(of: names[0])
        let crop = folder.appendingPathComponent("crop.gray").path
        try VideoFixtures.ffmpeg(["-i", first, "-vf", "crop=8:8:28:20", "-f", "rawvideo", "-pix_fmt", "gray", crop])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: crop)))
        let means = stride(from: 0, to: bytes.count, by: 64).map { bytes[$0..<$0 + 64].reduce(0) { $0 + Int($1) } / 64 }
        #expect(means.count == 10)
        #expect(means.prefix(7).allSatisfy { $0 > 150 } && means.suffix(3).allSatisfy { $0 < 40 }, "\(means)")
    }
}
