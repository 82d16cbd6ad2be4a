import Foundation
import TestSupport
import Testing

/// `facestream --version` and `facestream models` through the real binary.
@Suite struct VersionAndModelsTests {
    @Test func versionNamesTheCommitFFmpegAndTheKernels() throws {
        let result = try FaceStreamBinary.run(["--version"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines[0].hasPrefix("facestream 0.4.0 ("))
        #expect(
            lines[1].hasPrefix("FFmpeg: libavformat ") && lines[1].contains("libavcodec ")
                && lines[1].contains("libswscale "))
        #expect(lines[2] == "kernels: fma (AVX2 + FMA)" || lines[2] == "kernels: portable (base x86-64)")
        let portable = try FaceStreamBinary.run(["--version"], environment: ["FACESTREAM_KERNELS": "portable"])
        #expect(portable.stdout.contains("kernels: portable (base x86-64)"))
    }

    @Test func theCatalogIsThePinnedList() throws {
        let pinned = try String(
            contentsOf: SharedData.repositoryRoot.appendingPathComponent("scripts/models.sha256"), encoding: .utf8)
        let lines = pinned.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ") }
        let result = try FaceStreamBinary.run(["models"], environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path])
        #expect(result.status == 0, "\(result.stderr)")
        for fields in lines where fields[1].hasSuffix(".onnx") {
            let row = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix(fields[1] + " ") })
            // The shared copies are the pinned files: every one shows "ok" and its input size.
            #expect(
                row.contains(" ok ")
                    && (row.contains("320x240") || row.contains("640x480") || row.contains("1280x960")), "\(row)")
        }
    }

    @Test func installCopiesOnlyVerifiedModelsAndVerifyFindsADamagedOne() throws {
        let dir = try ProcessRunner.temporaryDirectory("models")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        for name in ["version-slim-320.onnx", "version-RFB-320.onnx"] {
            try FileManager.default.copyItem(at: SharedData.model(name), to: source.appendingPathComponent(name))
        }
        // A damaged copy of one model is refused.
        var damaged = try Data(contentsOf: SharedData.model("version-RFB-640.onnx"))
        damaged[damaged.count / 2] ^= 0xFF
        try damaged.write(to: source.appendingPathComponent("version-RFB-640.onnx"))
        let destination = dir.appendingPathComponent("installed").path
        let install = try FaceStreamBinary.run(["models", "install", "--from", source.path, "--dest", destination])
        #expect(install.status == 65, "\(install.stderr)")
        #expect(install.stdout.contains("installed \(destination)/version-slim-320.onnx"))
        #expect(install.stdout.contains("installed \(destination)/version-RFB-320.onnx"))
        #expect(install.stderr.contains("version-RFB-640.onnx: SHA-256 differs from the pinned one; not installed"))
        #expect(!FileManager.default.fileExists(atPath: destination + "/version-RFB-640.onnx"))
        let environment = ["FACESTREAM_MODEL_DIR": destination, "HOME": dir.path, "XDG_DATA_HOME": ""]
        let verify = try FaceStreamBinary.run(["models", "verify"], environment: environment)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.split(separator: "\n").count == 2)
        // Damage an installed one: verify says which and exits 65.
        let installed = destination + "/version-slim-320.onnx"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: installed))
        bytes[100] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: installed))
        let again = try FaceStreamBinary.run(["models", "verify"], environment: environment)
        #expect(again.status == 65)
        #expect(again.stdout.contains("MISMATCH \(installed)"))
        // Nothing in the user's folders: 66, unless this machine has models in the system folders
        // (always searched), which are then what verify lists.
        let system = ["/usr/local/share/facestream/models", "/usr/share/facestream/models"].filter { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { $0.hasSuffix(".onnx") }
        }
        let empty = try FaceStreamBinary.run(
            ["models", "verify"],
            environment: ["FACESTREAM_MODEL_DIR": dir.path + "/none", "HOME": dir.path, "XDG_DATA_HOME": ""])
        if system.isEmpty {
            #expect(empty.status == 66 && empty.stdout.isEmpty, "\(empty.stdout)\(empty.stderr)")
            #expect(empty.stderr.contains("no model installed"))
        } else {
            let listed = empty.stdout.split(separator: "\n")
            #expect(!listed.isEmpty && listed.allSatisfy { line in system.contains { line.contains($0) } })
        }
    }
}
