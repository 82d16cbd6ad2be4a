import CoreSupport
import Foundation
import TestSupport
import Testing

/// The int8 calibration as a user meets it: `bench --precision int8` says which calibration it
/// used and how many layers hand bytes to the next; a sidecar file beside the model replaces the
/// built-in one, and a bad sidecar stops the run with one line (exit 65) instead of being skipped.
@Suite(.serialized) struct Int8CalibrationCommandTests {
    /// The byte links need the int8 depthwise kernel: AVX-512 VBMI and VNNI.
    static let byteKernelRuns: Bool = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains {
            $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx512vbmi")
                && $0.split(separator: " ").contains("avx512_vnni")
        }
    }()

    static func bench(_ model: String, environment: [String: String] = [:]) throws -> (ProcessResult, [String: Any]) {
        let result = try FaceStreamBinary.run(
            ["bench", "--model", model, "--runs", "1", "--warmup", "0", "--precision", "int8"],
            environment: environment)
        let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (result, object)
    }

    /// A copy of version-slim-320 in a folder of its own, where a test can put a sidecar.
    static func modelCopy() throws -> URL {
        let folder = try ProcessRunner.temporaryDirectory("calibration")
        let model = folder.appendingPathComponent("version-slim-320.onnx")
        try FileManager.default.copyItem(at: SharedData.model("version-slim-320.onnx"), to: model)
        return model
    }

    static func sidecar(for model: URL) -> URL {
        model.deletingPathExtension().appendingPathExtension("int8.json")
    }

    static func digest(of file: URL) throws -> String {
        var hasher = SHA256()
        hasher.update(Array(try Data(contentsOf: file)))
        return SHA256.hexString(hasher.finalize())
    }

    @Test func shippedModelsUseTheBuiltInCalibration() throws {
        let (result, object) = try Self.bench(SharedData.model("version-RFB-320.onnx").path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(object["int8_calibration"] as? String == "built-in")
        let links = try #require(object["int8_byte_links"] as? Int)
        if Self.byteKernelRuns { #expect(links >= 10) } else { #expect(links == 0) }
        // A shipped file without a built-in calibration runs int8 with per-run scales only.
        let (plain, other) = try Self.bench(SharedData.model("version-RFB-320_simplified.onnx").path)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(other["int8_calibration"] is NSNull)
        #expect(other["int8_byte_links"] as? Int == 0)
        #expect((other["int8_steps"] as? Int ?? 0) > 10)
    }

    /// The int8 stem quantises the image over the range its bytes can take (the loader tells the
    /// compiler), with no scan of each frame: the profile names it on the stem and nowhere else.
    @Test func theStemKnowsTheImageRange() throws {
        let result = try FaceStreamBinary.run([
            "bench", "--model", SharedData.model("version-RFB-320.onnx").path, "--runs", "1", "--warmup", "0",
            "--precision", "int8", "--profile",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let fixed = result.stderr.split(separator: "\n").filter { $0.contains("fixed input range") }
        #expect(fixed.count == 1, "\(result.stderr)")
        #expect(fixed.first?.contains("3->16 k3x3 s2") == true, "\(fixed)")
    }

    /// Without the byte kernel (simulated) nothing is handed over as bytes, and int8 still runs.
    @Test func withoutTheByteKernelThereAreNoLinks() throws {
        let (result, object) = try Self.bench(
            SharedData.model("version-RFB-320.onnx").path, environment: ["FACESTREAM_INT8_DEPTHWISE": "none"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(object["int8_byte_links"] as? Int == 0)
        #expect((object["int8_steps"] as? Int ?? 0) > 10)
    }

    /// A sidecar replaces the built-in calibration: one that lists only the stem's ReLU output
    /// ("187", 16 channels, read by the first depthwise convolution of version-slim-320) gives one
    /// byte link.
    @Test func aSidecarReplacesTheBuiltInCalibration() throws {
        let model = try Self.modelCopy()
        let values = Array(repeating: "6.0", count: 16).joined(separator: ",")
        let text =
            #"{"format":"facestream-int8-calibration","version":1,"model_sha256":"\#(try Self.digest(of: model))","#
            + #""photos":1,"tensors":{"187":[\#(values)]}}"#
        try text.write(to: Self.sidecar(for: model), atomically: true, encoding: .utf8)
        let (result, object) = try Self.bench(model.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(object["int8_calibration"] as? String == "sidecar")
        #expect(object["int8_byte_links"] as? Int == (Self.byteKernelRuns ? 1 : 0))
    }

    @Test(arguments: [
        ("garbage", "not a FaceStream int8 calibration"),
        (
            #"{"format":"facestream-int8-calibration","version":1,"model_sha256":"\#(String(repeating: "0", count: 64))","tensors":{"187":[1]}}"#,
            "was made for another model"
        ),
    ])
    func aBadSidecarStopsTheRun(text: String, reason: String) throws {
        let model = try Self.modelCopy()
        try text.write(to: Self.sidecar(for: model), atomically: true, encoding: .utf8)
        let (result, _) = try Self.bench(model.path)
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(Self.sidecar(for: model).path) && result.stderr.contains(reason))
        #expect(result.stderr.contains("scripts/int8-calibrate"))
        // fp32 never reads it.
        let fp32 = try FaceStreamBinary.run(["bench", "--model", model.path, "--runs", "1", "--warmup", "0"])
        #expect(fp32.status == 0, "\(fp32.stderr)")
    }
}
