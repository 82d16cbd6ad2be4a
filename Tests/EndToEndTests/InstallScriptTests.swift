import Foundation
import TestSupport
import Testing

/// The real `scripts/install`, staged into a temporary root with `--destdir`.
@Suite struct InstallScriptTests {
    let script = SharedData.repositoryRoot.appendingPathComponent("scripts/install").path

    func install(into root: URL, prefix: String = "/usr/local") throws -> ProcessResult {
        try ProcessRunner.run(
            "/bin/bash", [script, "--destdir", root.path, "--prefix", prefix, "--no-build"],
            environment: ["FACESTREAM_BIN": FaceStreamBinary.path])
    }

    @Test func installsBinaryUnitsConfigurationAndModels() throws {
        let root = try ProcessRunner.temporaryDirectory("install")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try install(into: root)
        #expect(result.status == 0, "\(result.stderr)")
        let binary = root.appendingPathComponent("usr/local/bin/facestream").path
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        #expect(try ProcessRunner.run(binary, ["--help"]).stdout.contains("detect"))
        let unit = try String(
            contentsOf: root.appendingPathComponent("etc/systemd/system/facestream.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/facestream run"))
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("etc/systemd/system/facestream@.service").path))
        let config = try Data(contentsOf: root.appendingPathComponent("etc/facestream/facestream.toml"))
        #expect(
            config == (try Data(contentsOf: SharedData.repositoryRoot.appendingPathComponent("Config/facestream.toml")))
        )
        let model = root.appendingPathComponent("usr/local/share/facestream/models/version-RFB-320.onnx")
        #expect((try Data(contentsOf: model)) == (try Data(contentsOf: SharedData.model("version-RFB-320.onnx"))))
    }

    @Test func keepsAnEditedConfigurationAndFollowsThePrefix() throws {
        let root = try ProcessRunner.temporaryDirectory("install-again")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try install(into: root, prefix: "/opt/facestream").status == 0)
        let config = root.appendingPathComponent("etc/facestream/facestream.toml")
        try Data("# edited\n".utf8).write(to: config)
        let again = try install(into: root, prefix: "/opt/facestream")
        #expect(again.status == 0 && again.stdout.contains("keeping the existing"), "\(again.stdout)\(again.stderr)")
        #expect(try String(contentsOf: config, encoding: .utf8) == "# edited\n")
        let unit = try String(
            contentsOf: root.appendingPathComponent("etc/systemd/system/facestream.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/facestream/bin/facestream run"))
        #expect(unit.contains("FACESTREAM_MODEL_DIR=/opt/facestream/share/facestream/models"))
        #expect(!unit.contains("/usr/local/"))
    }
}
