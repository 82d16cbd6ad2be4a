import Foundation
import TestSupport
import Testing

/// The real `scripts/fetch-models` against the real model files.
@Suite struct FetchModelsScriptTests {
    let script = SharedData.repositoryRoot.appendingPathComponent("scripts/fetch-models").path

    @Test func copiesAndVerifiesEveryPinnedFile() throws {
        let dest = try ProcessRunner.temporaryDirectory("models")
        defer { try? FileManager.default.removeItem(at: dest) }
        let result = try ProcessRunner.run(
            "/bin/bash", [script, "--from", SharedData.models.path, "--dest", dest.path])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dest.path).filter { !$0.hasPrefix(".") }
            .sorted()
        #expect(files.count == 11)
        #expect(files.contains("version-RFB-320.onnx") && files.contains("RFB-1280-masked_face-v2.onnx"))
        let original = try Data(contentsOf: SharedData.model("version-RFB-320.onnx"))
        #expect(try Data(contentsOf: dest.appendingPathComponent("version-RFB-320.onnx")) == original)
        // A second run keeps the verified files.
        let again = try ProcessRunner.run(
            "/bin/bash", [script, "--from", SharedData.models.path, "--dest", dest.path, "version-RFB-320.onnx"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("0 newly installed"))
    }

    @Test func refusesAFileWhoseHashDoesNotMatch() throws {
        let source = try ProcessRunner.temporaryDirectory("models-src")
        let dest = try ProcessRunner.temporaryDirectory("models-dest")
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: dest)
        }
        var bytes = try Data(contentsOf: SharedData.model("version-slim-320.onnx"))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: source.appendingPathComponent("version-slim-320.onnx"))
        let result = try ProcessRunner.run(
            "/bin/bash", [script, "--from", source.path, "--dest", dest.path, "version-slim-320.onnx"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("does not match the pinned"))
        #expect(!FileManager.default.fileExists(atPath: dest.appendingPathComponent("version-slim-320.onnx").path))
    }

    @Test func pinnedHashesAreTheSharedOnes() throws {
        let pins = try String(
            contentsOf: SharedData.repositoryRoot.appendingPathComponent("scripts/models.sha256"), encoding: .utf8)
        let shared = try String(contentsOf: SharedData.models.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        func table(_ text: String) -> [String: String] {
            var result: [String: String] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count >= 2 { result[String(parts[1])] = String(parts[0]) }
            }
            return result
        }
        #expect(table(pins) == table(shared))
    }
}
