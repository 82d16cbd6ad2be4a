import DetectionSinks
import Foundation
import TestSupport
import Testing

/// `--input-size` as a user runs it: the real binary on a photo, on a 16:9 clip, and `bench`.
@Suite struct InputSizeCommandTests {
    static let photo1 = SharedData.images.appendingPathComponent("imgs/1.jpg").path

    func records(_ stdout: String) throws -> [DetectionRecord] {
        try stdout.split(separator: "\n").map { try JSONDecoder().decode(DetectionRecord.self, from: Data($0.utf8)) }
    }

    /// The default model (box decoding in its graph) at 426x240 finds what ONNX Runtime finds with
    /// the model without decoding at that size (the committed reference).
    @Test func photoAtAnotherSizeMatchesTheReference() throws {
        let result = try FaceStreamBinary.run(["detect", "--input-size", "426x240", Self.photo1])
        #expect(result.status == 0, "\(result.stderr)")
        let faces = try #require(try records(result.stdout).first).faces
        let file = SharedData.repositoryRoot.appendingPathComponent(
            "Tests/References/input-size/RFB-320-without-postprocessing_426x240.json")
        let reference = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let photos = try #require(reference["photos"] as? [[String: Any]])
        let photo = try #require(photos.first { $0["image"] as? String == "imgs/1.jpg" })
        let results = try #require(photo["results"] as? [[String: Any]])
        let detections = try #require(results.first?["detections"] as? [[String: Any]])
        try #require(faces.count == detections.count, "\(faces.count) faces, reference \(detections.count)")
        let defaultFaces = try #require(try records(try FaceStreamBinary.run(["detect", Self.photo1]).stdout).first)
        #expect(defaultFaces.faces.count != faces.count, "the size must change something on a crowd photo")
        for (face, expected) in zip(faces, detections) {
            let box = try #require(expected["box"] as? [Double])
            for (a, b) in zip(face.box, box) { #expect(abs(Double(a) - b) <= 1e-2) }
        }
    }

    /// On a 16:9 video `auto` runs at 426x240: the same lines as asking for that size.
    @Test func autoOnWideVideoIsItsAspectRatio() throws {
        let folder = try ProcessRunner.temporaryDirectory("input-size")
        let clip = folder.appendingPathComponent("wide.mp4").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", Self.photo1, "-t", "0.5", "-r", "10", "-vf", "scale=1280:720",
            "-c:v", "libx264", "-threads", "1", "-pix_fmt", "yuv420p", clip,
        ])
        let auto = try FaceStreamBinary.run(["detect", "--threads", "2", "--input-size", "auto", clip])
        let fixed = try FaceStreamBinary.run(["detect", "--threads", "2", "--input-size", "426x240", clip])
        #expect(auto.status == 0 && fixed.status == 0, "\(auto.stderr) \(fixed.stderr)")
        let autoLines = try records(auto.stdout)
        #expect(autoLines.count == 5)
        #expect(autoLines.map(\.faces) == (try records(fixed.stdout)).map(\.faces))
        #expect(autoLines.allSatisfy { $0.faces.count > 10 })
    }

    @Test(arguments: ["10x240", "320", "x", "320x240x3", "wide"])
    func badSizesAreUsageErrors(value: String) throws {
        let result = try FaceStreamBinary.run(["detect", "--input-size", value, Self.photo1])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--input-size"), "\(result.stderr)")
    }

    @Test func benchRunsAtTheSizeAsked() throws {
        let result = try FaceStreamBinary.run(["bench", "--input-size", "160x96", "--runs", "2", "--warmup", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""input_shape":[1,3,96,160]"#), "\(result.stdout)")
        let auto = try FaceStreamBinary.run(["bench", "--input-size", "auto", "--runs", "2"])
        #expect(auto.status == 64 && auto.stderr.contains("WIDTHxHEIGHT"))
    }
}

/// `--tiles` on a 1080p picture: every face of the whole-frame pass is still found, and more.
@Suite struct TilesCommandTests {
    @Test func tilesFindTheWholeFrameFacesAndSmallerOnes() throws {
        let folder = try ProcessRunner.temporaryDirectory("tiles")
        let picture = folder.appendingPathComponent("crowd-1080p.png").path
        try VideoFixtures.ffmpeg(["-i", InputSizeCommandTests.photo1, "-vf", "scale=1920:1080", picture])
        let plain = try FaceStreamBinary.run(["detect", picture])
        let tiled = try FaceStreamBinary.run(["detect", "--tiles", "auto", picture])
        #expect(plain.status == 0 && tiled.status == 0, "\(plain.stderr) \(tiled.stderr)")
        let decoder = JSONDecoder()
        let plainFaces = try decoder.decode(DetectionRecord.self, from: Data(plain.stdout.utf8)).faces
        let tiledFaces = try decoder.decode(DetectionRecord.self, from: Data(tiled.stdout.utf8)).faces
        #expect(tiledFaces.count > plainFaces.count)
        for face in plainFaces {
            #expect(tiledFaces.contains { intersectionOverUnion($0.box, face.box) >= 0.5 }, "lost \(face.box)")
        }
        let bad = try FaceStreamBinary.run(["detect", "--tiles", "40", picture])
        #expect(bad.status == 64 && bad.stderr.contains("--tiles"))
    }
}
