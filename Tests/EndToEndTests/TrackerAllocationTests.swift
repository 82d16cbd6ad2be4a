import Foundation
import TestSupport
import Testing

/// Issue 11's cost requirement: no heap allocation in the tracker once it has warmed up. The real
/// `TrackerBench` (50 faces) runs under the malloc-counting shim (`Benchmarks/MallocCount`, built
/// here with `cc`), which counts every allocation between the two reads around each
/// `process` call on the bench's one thread; FrameProcessing is optimised in debug builds too, so
/// this is the code that ships. No time is asserted.
@Suite struct TrackerAllocationTests {
    @Test func theTrackerAllocatesNothingPerFrameAfterWarmUp() throws {
        let dir = try ProcessRunner.temporaryDirectory("malloccount")
        defer { try? FileManager.default.removeItem(at: dir) }
        let shim = try MallocCountShim.build(into: dir)
        let bench = URL(fileURLWithPath: FaceStreamBinary.path).deletingLastPathComponent()
            .appendingPathComponent("TrackerBench").path
        let result = try ProcessRunner.run(bench, ["50", "400"], environment: ["LD_PRELOAD": shim])
        #expect(result.status == 0, "\(result.stderr)")
        let runs = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let setup = try #require(runs.first { $0["run"] as? String == "setup" })
        #expect(setup["heap_allocations"] as? Int ?? 0 >= 400, "the shim counts (one array per input frame)")
        for name in ["tracker", "chain"] {
            let run = try #require(runs.first { $0["run"] as? String == name }, "\(result.stdout)")
            #expect(run["tracked_last_frame"] as? Int == 50 && run["frames_with_events"] as? Int == 0, "\(run)")
            #expect(run["heap_allocations_per_frame"] as? Double == 0, "\(name): \(run)")
        }
    }
}
