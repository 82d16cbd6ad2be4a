import DetectionSinks
import FFmpegMedia
import Foundation
import TestSupport
import Testing
import VideoCore

@Suite struct AnnotatedVideoSinkTests {
    static func request(_ path: String, style: AnnotationStyle = .solid) -> AnnotationRequest {
        AnnotationRequest(path: path, style: style, encoder: VideoEncoderOptions())
    }

    static func grey(_ index: Int) -> VideoFrame {
        VideoFrame(
            image: RGBImage(width: 64, height: 48, pixels: [UInt8](repeating: 200, count: 64 * 48 * 3)), index: index,
            pts: Double(index) / 10)
    }

    @Test func paintsTheShownFacesOfEveryFrameIntoARealFile() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-annotated-sink")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.mkv").path
        let sink = AnnotatedVideoSink(request: Self.request(path), frameRate: { 10 })
        #expect(sink.needsPixels)
        let face = Detection(
            box: BoundingBox(x1: 16, y1: 8, x2: 48, y2: 40), score: 0.9, classIndex: 1, label: "face")
        for index in 0..<4 {
            var frame = FrameDetections(frame: Self.grey(index), sequence: index, faces: index == 0 ? [face] : nil)
            // What the hold-over processor does on frames between analysed ones.
            frame.shownFaces = index < 3 ? [face] : []
            try sink.write(frame)
        }
        try sink.finish()
        #expect(sink.framesWritten == 4)
        // Decode the file again: the face is blacked out on the first three frames, not on the last.
        let crop = folder.appendingPathComponent("crop.gray").path
        let decoded = try ProcessRunner.run(
            "/usr/bin/env",
            [
                "ffmpeg", "-nostdin", "-loglevel", "error", "-i", path, "-vf", "crop=8:8:28:20", "-f", "rawvideo",
                "-pix_fmt", "gray", crop,
            ])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: crop)))
        #expect(bytes.count == 4 * 64)
        let means = stride(from: 0, to: bytes.count, by: 64).map { start in
            bytes[start..<start + 64].reduce(0) { $0 + Int($1) } / 64
        }
        #expect(means.count == 4)
        #expect(means.prefix(3).allSatisfy { $0 < 40 }, "\(means)")
        #expect(means[3] > 150, "\(means)")
    }

    @Test func aFileOpenedButNeverWrittenIsRemovedAtFinish() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-annotated-sink")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.mp4").path
        let sink = AnnotatedVideoSink(request: Self.request(path))
        try sink.open()
        #expect(FileManager.default.fileExists(atPath: path))
        try sink.finish()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func oddSizesArePaddedToEven() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-annotated-sink")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("odd.mp4").path
        let sink = AnnotatedVideoSink(request: Self.request(path, style: .box))
        try sink.open()
        for index in 0..<3 {
            let image = RGBImage(width: 7, height: 5, pixels: [UInt8](repeating: 90, count: 7 * 5 * 3))
            try sink.write(
                FrameDetections(
                    frame: VideoFrame(image: image, index: index, pts: Double(index) / 10), sequence: index, faces: []))
        }
        try sink.finish()
        #expect(try VideoFixtures.probeSize(path) == (8, 6))
    }

    @Test func sampledFramesAreRefusedWithAnOutputFailureNotATrap() throws {
        let grid = SampleGrid(width: 64, height: 48, rows: [0], columns: [0])
        let sampled = SampledPicture(grid: grid, pixels: RGBImage(width: 1, height: 1, pixels: [0, 0, 0]))
        let sink = AnnotatedVideoSink(request: Self.request("/tmp/never-written.mkv"))
        #expect(throws: OutputFailure.self) {
            try sink.write(
                FrameDetections(frame: VideoFrame(pixels: .sampled(sampled), index: 0, pts: 0), sequence: 0, faces: []))
        }
        try sink.finish()
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.mkv"))
    }

    @Test func anUnwritableFolderIsAnOutputFailureNamingTheOptionAtOpen() throws {
        let sink = AnnotatedVideoSink(request: Self.request("/nonexistent-folder/out.mkv"))
        #expect {
            try sink.open()
        } throws: { error in
            "\(error)".hasPrefix("--annotate: ") && "\(error)".contains("/nonexistent-folder/out.mkv")
        }
    }
}
