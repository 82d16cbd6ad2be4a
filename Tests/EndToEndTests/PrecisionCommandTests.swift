import DetectionSinks
import Foundation
import TestSupport
import Testing

/// `--precision int8` as a user runs it: the real binary on the 29 golden photos and on two clips
/// made with FFmpeg from shared photos, against `--precision fp32` (issue 15's accuracy bar:
/// precision and recall >= 0.98 at threshold 0.7, mean IoU of matched boxes >= 0.95).
@Suite(.serialized) struct PrecisionCommandTests {
    /// The int8 kernels need AVX2 (the CPU flags as the kernel reports them).
    static let int8Runs: Bool = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains {
            $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx2")
        }
    }()

    static func records(_ stdout: String) throws -> [DetectionRecord] {
        try stdout.split(separator: "\n").map { try JSONDecoder().decode(DetectionRecord.self, from: Data($0.utf8)) }
    }

    /// The golden photos, in manifest order.
    static func goldenPhotos() throws -> [String] {
        let data = try Data(contentsOf: SharedData.golden.appendingPathComponent("manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let images = try #require(manifest["images"] as? [String: [String: Any]])
        return try images.keys.sorted().map { key in
            SharedData.root.appendingPathComponent(try #require(images[key]?["path"] as? String)).path
        }
    }

    /// Boxes matched greedily by IoU (>= 0.5, highest first) frame by frame.
    struct Agreement {
        var reference = 0
        var found = 0
        var matched = 0
        var iouSum = 0.0

        var precision: Double { found == 0 ? 1 : Double(matched) / Double(found) }
        var recall: Double { reference == 0 ? 1 : Double(matched) / Double(reference) }
        var meanIoU: Double { matched == 0 ? 0 : iouSum / Double(matched) }

        mutating func add(reference a: [DetectionRecord.Face], found b: [DetectionRecord.Face]) {
            reference += a.count
            found += b.count
            var pairs: [(Double, Int, Int)] = []
            for (i, x) in a.enumerated() {
                for (j, y) in b.enumerated() {
                    let value = Self.iou(x.box, y.box)
                    if value >= 0.5 { pairs.append((value, i, j)) }
                }
            }
            var usedA = Set<Int>()
            var usedB = Set<Int>()
            for (value, i, j) in pairs.sorted(by: { $0.0 > $1.0 }) where !usedA.contains(i) && !usedB.contains(j) {
                usedA.insert(i)
                usedB.insert(j)
                matched += 1
                iouSum += value
            }
        }

        static func iou(_ a: [Float], _ b: [Float]) -> Double {
            let width = max(0, Double(min(a[2], b[2]) - max(a[0], b[0])))
            let height = max(0, Double(min(a[3], b[3]) - max(a[1], b[1])))
            let intersection = width * height
            let union = Double((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])) - intersection
            return union > 0 ? intersection / union : 0
        }
    }

    @Test(arguments: ["version-RFB-320", "version-slim-320", "version-RFB-640"])
    func int8AgreesWithFloat32(model: String) throws {
        try #require(Self.int8Runs, "this CPU has no int8 kernels (needs AVX2)")
        let folder = try ProcessRunner.temporaryDirectory("precision")
        let panning = try VideoFixtures.make(
            "panning.mp4", in: folder, codec: ["-c:v", "libx264", "-threads", "1", "-pix_fmt", "yuv420p"])
        let crowdClip = folder.appendingPathComponent("crowd1.mp4").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", SharedData.images.appendingPathComponent("imgs/1.jpg").path, "-t", "1", "-r", "10",
            "-vf", "scale=1280:720", "-c:v", "libx264", "-threads", "1", "-pix_fmt", "yuv420p", crowdClip,
        ])
        let inputs = try Self.goldenPhotos() + [panning, crowdClip]
        let modelPath = SharedData.model("\(model).onnx").path
        let fp32 = try FaceStreamBinary.run(["detect", "--model", modelPath, "--threads", "2"] + inputs)
        let int8 = try FaceStreamBinary.run(
            ["detect", "--model", modelPath, "--threads", "2", "--precision", "int8"] + inputs)
        #expect(fp32.status == 0 && int8.status == 0, "\(fp32.stderr) \(int8.stderr)")
        let reference = try Self.records(fp32.stdout)
        let found = try Self.records(int8.stdout)
        #expect(reference.count == 29 + 20 + 10)
        try #require(found.count == reference.count)
        var agreement = Agreement()
        for (a, b) in zip(reference, found) {
            #expect(a.source == b.source && a.frame == b.frame)
            agreement.add(reference: a.faces, found: b.faces)
        }
        #expect(agreement.reference > 1_000, "the inputs must hold many faces (\(agreement.reference))")
        #expect(agreement.precision >= 0.98, "precision \(agreement.precision)")
        #expect(agreement.recall >= 0.98, "recall \(agreement.recall)")
        #expect(agreement.meanIoU >= 0.95, "mean IoU \(agreement.meanIoU)")
        // int8 is not float32: some box must differ, or the flag did nothing.
        #expect(zip(reference, found).contains { $0.faces != $1.faces })
    }

    @Test func benchReportsTheInt8Steps() throws {
        try #require(Self.int8Runs, "this CPU has no int8 kernels (needs AVX2)")
        let result = try FaceStreamBinary.run(["bench", "--runs", "2", "--warmup", "1", "--precision", "int8"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["precision"] as? String == "int8")
        #expect((object["int8_steps"] as? Int ?? 0) > 10)
        let plain = try FaceStreamBinary.run(["bench", "--runs", "2", "--warmup", "1"])
        let fp32 = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
        #expect(fp32["precision"] as? String == "fp32")
        #expect(fp32["int8_steps"] as? Int == 0)
    }

    /// A CPU without int8 kernels (simulated with FACESTREAM_INT8_KERNELS=none) runs the model in
    /// fp32 and says so once: the same lines as --precision fp32.
    @Test func withoutInt8KernelsTheModelRunsInFloat32() throws {
        let photo = SharedData.images.appendingPathComponent("imgs/1.jpg").path
        let fallback = try FaceStreamBinary.run(
            ["detect", "--precision", "int8", photo], environment: ["FACESTREAM_INT8_KERNELS": "none"])
        let fp32 = try FaceStreamBinary.run(["detect", photo])
        #expect(fallback.status == 0, "\(fallback.stderr)")
        #expect(fallback.stderr.contains("--precision int8: this CPU has no AVX2, so the model runs in fp32"))
        #expect(fallback.stdout == fp32.stdout)
        let bench = try FaceStreamBinary.run(
            ["bench", "--runs", "1", "--warmup", "0", "--precision", "int8"],
            environment: ["FACESTREAM_INT8_KERNELS": "none"])
        #expect(bench.stdout.contains("\"int8_steps\":0"), "\(bench.stdout)")
    }

    @Test(arguments: ["int4", "FP32", ""])
    func unknownPrecisionIsAUsageError(value: String) throws {
        let photo = SharedData.images.appendingPathComponent("imgs/1.jpg").path
        let result = try FaceStreamBinary.run(["detect", "--precision", value, photo])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--precision"), "\(result.stderr)")
    }
}
