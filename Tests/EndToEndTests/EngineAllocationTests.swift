import Foundation
import TestSupport
import Testing

/// The engine's promise (docs/performance.md, "Heap allocations per inference"): no heap
/// allocation per inference once a session exists, on one thread and on the worker pool, in
/// float32 and in int8. The real `facestream bench` runs under the malloc-counting shim
/// (`Benchmarks/MallocCount`, built here with `cc`; `TrackerAllocationTests` shows that it
/// counts), which makes it report every allocation between the end of its warm-up and the end of
/// its timed runs. RFB-640 brings the 1x1+depthwise band layer; the int8 runs the quantised
/// layers. The engine's modules are optimised in debug builds too, so this is the code that ships.
/// No time is asserted.
@Suite(.serialized) struct EngineAllocationTests {
    static let cases: [(model: String, precision: String, threads: Int)] = [
        ("version-RFB-320", "fp32", 1), ("version-RFB-320", "fp32", 2), ("version-RFB-640", "fp32", 2),
        ("version-RFB-320", "int8", 1), ("version-RFB-320", "int8", 2), ("version-slim-320", "int8", 2),
    ]

    @Test func inferenceAllocatesNothingAfterWarmUp() throws {
        let dir = try ProcessRunner.temporaryDirectory("engine-malloccount")
        defer { try? FileManager.default.removeItem(at: dir) }
        let shim = try MallocCountShim.build(into: dir)
        // Without AVX2 int8 falls back to float32, which the float32 cases cover.
        for (model, precision, threads) in Self.cases where precision == "fp32" || PrecisionCommandTests.int8Runs {
            let result = try ProcessRunner.run(
                FaceStreamBinary.path,
                [
                    "bench", "--model", SharedData.model("\(model).onnx").path, "--precision", precision,
                    "--threads", "\(threads)", "--runs", "20", "--warmup", "3",
                ],
                environment: ["LD_PRELOAD": shim])
            let label = "\(model) \(precision) \(threads) thread(s)"
            #expect(result.status == 0, "\(label): \(result.stderr)")
            let line = try #require(result.stdout.split(separator: "\n").last, "\(label): no output")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(label): \(line)")
            // The field is there only when the shim is loaded and its counter found.
            let allocations = try #require(report["heap_allocations"] as? Int, "\(label): \(line)")
            #expect(allocations == 0, "\(label): \(allocations) allocations over 20 runs")
            #expect(report["threads"] as? Int == threads && report["precision"] as? String == precision, "\(line)")
        }
    }
}
