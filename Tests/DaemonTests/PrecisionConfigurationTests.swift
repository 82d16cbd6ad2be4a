import FaceStreamApp
import Foundation
import TestSupport
import Testing

@testable import FaceStreamDaemon

/// The `precision` key (issue 15): fp32 by default, int8 on request, anything else one problem
/// with its line; a change of precision restarts streams on reload; check-config compiles the
/// model at the configured precision.
@Suite struct PrecisionConfigurationTests {
    @Test func precisionIsReadAndDefaultsToFloat32() throws {
        let plain = try ConfigurationLoader.parse("[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n", file: "t.toml")
        #expect(plain.global.precision == .float32)
        let int8 = try ConfigurationLoader.parse(
            "precision = \"int8\"\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n", file: "t.toml")
        #expect(int8.global.precision == .int8)
        let plan = StreamPlan(int8.streams[0], global: int8.global)
        #expect(plan != StreamPlan(plain.streams[0], global: plain.global), "a precision change restarts the stream")
    }

    @Test(arguments: ["int4", "INT8", ""])
    func anUnknownPrecisionIsOneProblemWithItsLine(value: String) {
        let found = DaemonTestValues.problems(
            "threads = 1\nprecision = \"\(value)\"\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.message == "precision \"\(value)\" is not a precision")
        #expect(found.first?.hint?.contains("int8") == true)
    }

    @Test func checkConfigAcceptsInt8() throws {
        let folder = try ProcessRunner.temporaryDirectory("precision-config")
        let file = folder.appendingPathComponent("f.toml")
        let model = SharedData.model("version-RFB-320.onnx").path
        try "model = \"\(model)\"\nprecision = \"int8\"\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n".write(
            to: file, atomically: true, encoding: .utf8)
        let good = try FaceStreamBinary.run(["check-config", file.path])
        #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
        try "model = \"\(model)\"\nprecision = \"int16\"\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n".write(
            to: file, atomically: true, encoding: .utf8)
        let bad = try FaceStreamBinary.run(["check-config", file.path])
        #expect(bad.status == 78)
        #expect((bad.stdout + bad.stderr).contains("f.toml:2: precision \"int16\" is not a precision"))
    }
}
