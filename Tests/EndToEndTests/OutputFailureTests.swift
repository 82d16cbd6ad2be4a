import DetectionSinks
import Foundation
import TestSupport
import Testing

/// Outputs that cannot be written: one clear line, exit 74, and nothing half-written left behind.
@Suite struct OutputFailureTests {
    /// A file size limit (RLIMIT_FSIZE, as `ulimit -f` or a full disk) hit in the middle of a
    /// line: the file is cut back to its last complete line.
    @Test func aFullOutputEndsWithAWholeLineAndExit74() throws {
        let dir = try ProcessRunner.temporaryDirectory("full-output")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let output = dir.appendingPathComponent("faces.jsonl").path
        // 1000 bytes: a few lines fit (each is about 300 bytes), the next one is cut by the limit.
        let result = try ProcessRunner.run(
            "/usr/bin/prlimit", ["--fsize=1000", FaceStreamBinary.path, "detect", "--output", output, clip],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path, "FACESTREAM_MODEL": ""])
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write to \(output): File too large"), "\(result.stderr)")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(!text.isEmpty && text.hasSuffix("\n"), "\(text.suffix(80))")
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 1 && lines.count < 20)
        for line in lines { _ = try JSONDecoder().decode(DetectionRecord.self, from: Data(line.utf8)) }
        #expect(
            lines.map { try? JSONDecoder().decode(DetectionRecord.self, from: Data($0.utf8)).frame }
                == Array(0..<lines.count))
    }

    /// Every output is opened before the first frame: an annotated copy into a missing folder
    /// fails before a single JSON line is written.
    @Test func anUnwritableAnnotatedCopyFailsBeforeAnyJSONLine() throws {
        let dir = try ProcessRunner.temporaryDirectory("early-output")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let result = try FaceStreamBinary.run(["detect", "--annotate", "/nonexistent-folder/out.mp4", clip])
        #expect(result.status == 74)
        #expect(result.stdout.isEmpty, "\(result.stdout.prefix(200))")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("/nonexistent-folder/out.mp4"), "\(result.stderr)")
    }

    @Test func annotatingAPhotoIsACommandLineError() throws {
        let photo = SharedData.images.appendingPathComponent("imgs/13.jpg").path
        let result = try FaceStreamBinary.run(["detect", "--annotate", "/tmp/never.mp4", photo])
        #expect(result.status == 64)
        #expect(result.stderr.contains("is a photo"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

/// Inputs that give nothing are not silent successes.
@Suite struct EmptyInputTests {
    @Test func aVideoWithoutOneDecodableFrameIsAFailedInput() throws {
        let dir = try ProcessRunner.temporaryDirectory("no-frames")
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = dir.appendingPathComponent("whole.ts").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", VideoFixtures.photo, "-t", "1", "-r", "10", "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-f", "mpegts", whole,
        ])
        // The stream's headers and the start of the first picture only.
        let cut = dir.appendingPathComponent("cut.ts").path
        try Data(try Data(contentsOf: URL(fileURLWithPath: whole)).prefix(1500)).write(to: URL(fileURLWithPath: cut))
        let result = try FaceStreamBinary.run(["detect", cut])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(cut): no frame could be decoded"), "\(result.stderr)")
    }
}

/// Long inputs are not echoed whole: every log line is cut at 1000 bytes, saying so.
@Suite struct LongMessageTests {
    @Test func aHugeInputNameGivesOneShortLine() throws {
        let name = "/tmp/" + String(repeating: "x", count: 20_000) + ".jpg"
        let result = try FaceStreamBinary.run(["detect", name])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(
            result.stderr.utf8.count < 1200 && result.stderr.contains("bytes, cut)"), "\(result.stderr.prefix(100))")
    }
}
