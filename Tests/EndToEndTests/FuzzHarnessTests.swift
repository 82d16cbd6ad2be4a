import Foundation
import TestSupport
import Testing

/// The fuzz harnesses (Fuzz/) built normally: each runs its checks once per committed seed (and
/// per regression input), so the code libFuzzer drives in `scripts/fuzz` is also run by the suite.
/// (The ONNX seeds are built in code, never committed: FuzzSeedTests runs that harness.)
@Suite struct FuzzHarnessTests {
    @Test(arguments: [("FuzzConfiguration", "config"), ("FuzzJPEG", "jpeg")])
    func harnessPassesEveryCommittedInput(executable: String, corpus: String) throws {
        let binary = URL(fileURLWithPath: FaceStreamBinary.path).deletingLastPathComponent()
            .appendingPathComponent(executable)
        let folder = SharedData.repositoryRoot.appendingPathComponent("Fuzz/Corpus/\(corpus)")
        let count = try FileManager.default.contentsOfDirectory(atPath: folder.path).count
        let result = try ProcessRunner.run(binary.path, [folder.path], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(count) inputs passed\n", "\(result.stdout)")
    }
}
