import DetectionSinks
import Foundation
import JPEGCodec
import TestSupport
import Testing

/// `facestream detect` as a user runs it: the real binary, real photos, real models.
@Suite struct DetectCommandTests {
    static let photo13 = SharedData.images.appendingPathComponent("imgs/13.jpg").path
    static let photo1 = SharedData.images.appendingPathComponent("imgs/1.jpg").path

    func records(_ stdout: String) throws -> [DetectionRecord] {
        try stdout.split(separator: "\n").map { try JSONDecoder().decode(DetectionRecord.self, from: Data($0.utf8)) }
    }

    /// Faces in a record equal the reference detections (same order, box within 1e-3 px, score to float rounding).
    func expectMatchesGolden(_ record: DetectionRecord, model: String, image: String, threshold: Double) throws {
        let golden = try GoldenDetections.load("detections/\(model)/\(image).json")
        let result = try #require(golden.results.first { $0.scoreThreshold == threshold })
        #expect(record.width == golden.imageWidth && record.height == golden.imageHeight)
        try #require(
            record.faces.count == result.detections.count,
            "\(image) \(model): \(record.faces.count) faces, reference \(result.detections.count)")
        for (face, reference) in zip(record.faces, result.detections) {
            #expect(face.label == reference.labelName)
            #expect(abs(Double(face.score) - reference.score) <= 1e-5)
            for (a, b) in zip(face.box, reference.box) {
                #expect(abs(Double(a) - b) <= 1e-2, "\(image): box \(face.box) vs \(reference.box)")
            }
        }
    }

    @Test func onePhotoGivesOneSchemaLineMatchingTheReference() throws {
        let result = try FaceStreamBinary.run(["detect", Self.photo13])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let lines = try records(result.stdout)
        try #require(lines.count == 1)
        #expect(lines[0].v == 1 && lines[0].source == Self.photo13 && lines[0].frame == 0 && lines[0].pts == nil)
        #expect(lines[0].model == "version-RFB-320")
        #expect(result.stdout.contains(#""pts":null"#))
        try expectMatchesGolden(lines[0], model: "RFB-320", image: "imgs_13", threshold: 0.7)
    }

    /// Photos go through the same in-order processors as video: `--min-face` drops the smaller faces.
    @Test func minimumFaceSizeAppliesToPhotosToo() throws {
        let all = try records(try FaceStreamBinary.run(["detect", Self.photo1]).stdout)
        let sides = try #require(all.first).faces.map { min($0.box[2] - $0.box[0], $0.box[3] - $0.box[1]) }.sorted()
        try #require(sides.count >= 2, "the photo needs faces of several sizes")
        // Halfway between the two smallest faces: exactly the smallest is dropped.
        let limit = Int(((sides[0] + sides[1]) / 2).rounded())
        let result = try FaceStreamBinary.run(["detect", "--min-face", "\(limit)", Self.photo1])
        #expect(result.status == 0, "\(result.stderr)")
        let kept = try #require(try records(result.stdout).first).faces
        #expect(kept.count == sides.filter { $0 >= Float(limit) }.count)
        #expect(kept.count < sides.count)
    }

    @Test func thresholdModelAndOutputFileOptions() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-out")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("faces.jsonl").path
        let result = try FaceStreamBinary.run([
            "detect", "--model", SharedData.model("version-slim-320.onnx").path, "--threshold", "0.5", "--output", out,
            Self.photo1, Self.photo13,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let lines = try records(String(contentsOfFile: out, encoding: .utf8))
        try #require(lines.count == 2)
        #expect(lines.map(\.model) == ["version-slim-320", "version-slim-320"])
        try expectMatchesGolden(lines[0], model: "slim-320", image: "imgs_1", threshold: 0.5)
        try expectMatchesGolden(lines[1], model: "slim-320", image: "imgs_13", threshold: 0.5)
    }

    @Test func maskedFaceModelFromEnvironmentLabelsBothClasses() throws {
        let result = try FaceStreamBinary.run(
            ["detect", Self.photo1], environment: ["FACESTREAM_MODEL": "RFB-640-masked_face-v2.onnx"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(try records(result.stdout).first)
        #expect(line.model == "RFB-640-masked_face-v2")
        try expectMatchesGolden(line, model: "RFB-640-masked_face-v2", image: "imgs_1", threshold: 0.7)
    }

    @Test func pngMadeFromTheReferencePixelsGivesTheReferenceFaces() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-png")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The reference decoder's pixels, written losslessly as PPM and turned into PNG by the real
        // ffmpeg: facestream must decode the PNG through FFmpeg to the same pixels and so find
        // exactly the reference faces.
        let image = try JPEGDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: Self.photo1))))
        let ppm = dir.appendingPathComponent("1.ppm")
        try (Data("P6\n\(image.width) \(image.height)\n255\n".utf8) + Data(image.pixels)).write(to: ppm)
        let png = dir.appendingPathComponent("1.png").path
        let ffmpeg = try ProcessRunner.run("/usr/bin/ffmpeg", ["-v", "error", "-y", "-i", ppm.path, png])
        try #require(ffmpeg.status == 0, "\(ffmpeg.stderr)")
        let result = try FaceStreamBinary.run(["detect", png])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(try records(result.stdout).first)
        try expectMatchesGolden(line, model: "RFB-320", image: "imgs_1", threshold: 0.7)
    }

    /// FFmpeg's own log reaches stderr through our handler with `--verbose` only.
    @Test func ffmpegMessagesAppearOnlyWithVerbose() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-verbose")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.jpg").path
        try "not a picture at all\n".write(toFile: text, atomically: true, encoding: .utf8)
        let quiet = try FaceStreamBinary.run(["detect", text])
        let verbose = try FaceStreamBinary.run(["detect", "--verbose", text])
        #expect(quiet.status == 1 && verbose.status == 1)
        #expect(!quiet.stderr.contains("source=ffmpeg"), "\(quiet.stderr)")
        #expect(verbose.stderr.contains("source=ffmpeg"), "\(verbose.stderr)")
        #expect(verbose.stderr.contains("not an image FaceStream can read"))
    }

    @Test func badInputsAreReportedOneLineEachAndTheRestIsProcessed() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.jpg").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let text = dir.appendingPathComponent("notes.jpg").path
        try "not a picture at all\n".write(toFile: text, atomically: true, encoding: .utf8)
        let truncated = dir.appendingPathComponent("truncated.jpg").path
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: Self.photo13))
        try jpeg.prefix(jpeg.count / 2).write(to: URL(fileURLWithPath: truncated))
        let missing = dir.appendingPathComponent("missing.jpg").path
        let unreadable = dir.appendingPathComponent("unreadable.png").path
        try jpeg.write(to: URL(fileURLWithPath: unreadable))
        let inputs = [missing, dir.path, empty, Self.photo13, text, truncated]
        let result = try FaceStreamBinary.run(["detect"] + inputs)
        #expect(result.status == 1)
        let lines = try records(result.stdout)
        #expect(lines.map(\.source) == [Self.photo13])
        let errors = result.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 5, "\(errors)")
        for (bad, reason) in [
            (missing, "no such file"), (dir.path, "directory"), (empty, "empty"), (text, "not an image"),
            (truncated, "truncated"),
        ] {
            let line = try #require(errors.first { $0.contains(bad + ":") }, "no error line for \(bad): \(errors)")
            #expect(line.lowercased().contains(reason), "\(line)")
            #expect(line.hasPrefix("facestream: error: "))
        }
    }

    @Test func missingModelSaysWhereItLookedAndExits66() throws {
        let empty = try ProcessRunner.temporaryDirectory("no-models")
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try FaceStreamBinary.run(
            ["detect", Self.photo13],
            environment: ["FACESTREAM_MODEL_DIR": empty.path, "HOME": empty.path, "XDG_DATA_HOME": ""])
        #expect(result.status == 66)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(empty.path) && result.stderr.contains("scripts/fetch-models"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: ["jpeg", "truncated-onnx", "empty"])
    func wrongModelFileIsOneLineAndExit65(kind: String) throws {
        let dir = try ProcessRunner.temporaryDirectory("bad-model")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model.onnx")
        switch kind {
        case "jpeg": try Data(contentsOf: URL(fileURLWithPath: Self.photo13)).write(to: model)
        case "truncated-onnx":
            try Data(contentsOf: SharedData.model("version-RFB-320.onnx")).prefix(300_000).write(to: model)
        default: try Data().write(to: model)
        }
        let result = try FaceStreamBinary.run(["detect", "--model", model.path, Self.photo13])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains(model.path))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test func badOptionsAreUsageErrors() throws {
        let result = try FaceStreamBinary.run(["detect", "--threshold", "1.5", Self.photo13])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--threshold"))
    }

    @Test func benchPrintsOneJSONObjectWithTheDocumentedKeys() throws {
        let result = try FaceStreamBinary.run([
            "bench", "--model", "version-slim-320.onnx", "--runs", "3", "--warmup", "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["model"] as? String == "version-slim-320")
        #expect(object["threads"] as? Int == 1 && object["runs"] as? Int == 3)
        let median = try #require(object["median_ms"] as? Double)
        let minimum = try #require(object["min_ms"] as? Double)
        #expect(minimum > 0 && minimum <= median)
    }
}

/// IoU of two `[x1, y1, x2, y2]` boxes.
func intersectionOverUnion(_ a: [Float], _ b: [Float]) -> Float {
    let w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    let h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    let inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)
}
