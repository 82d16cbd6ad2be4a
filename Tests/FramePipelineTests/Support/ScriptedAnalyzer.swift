import FramePipeline
import TestSupport
import VideoCore

/// The faces a scripted analyzer "finds" in frame `index`: `index % 4` boxes whose corners
/// encode the index, so a result can be traced back to its frame.
func scriptedFaces(forFrame index: Int) -> [Detection] {
    (0..<(index % 4)).map { face in
        let x = Float(index * 10 + face)
        return Detection(box: BoundingBox(x1: x, y1: 0, x2: x + 50, y2: 60), score: 0.9, classIndex: 1, label: "face")

    }
}

/// A fake detector for one worker: answers `scriptedFaces`, after a seeded amount of busy work
/// per frame (no sleeping), optionally waiting on a gate for chosen frames or failing on one.
struct ScriptedAnalyzer: FrameAnalyzing {
    /// Busy-work iterations per frame are drawn from `0..<maxWork` with a generator seeded by
    /// `seed` and the frame index, so the delays are the same on every run.
    var seed: UInt64 = 0
    var maxWork = 0
    /// Frames that wait for a gate before they are answered.
    var gates: [Int: Gate] = [:]
    /// Gates opened when the analysis of the given frame starts.
    var opensOnStart: [Int: Gate] = [:]
    /// Gates opened once the given frame has been analysed.
    var opens: [Int: Gate] = [:]
    /// A frame whose analysis throws `ScriptedFailure("analyzer")`.
    var failOn: Int?
    /// Faces for a frame; `scriptedFaces` by default.
    var faces: @Sendable (Int) -> [Detection] = scriptedFaces(forFrame:)
    private(set) var checksum: UInt64 = 0

    mutating func analyze(_ frame: FakeFrame) throws -> [Detection] {
        opensOnStart[frame.index]?.open()
        gates[frame.index]?.wait()
        if maxWork > 0 {
            var generator = SeededGenerator(seed: seed &+ UInt64(frame.index))
            let iterations = Int(generator.next() % UInt64(maxWork))
            for step in 0..<iterations { checksum = checksum &* 6_364_136_223_846_793_005 &+ UInt64(step) }
        }
        if frame.index == failOn { throw ScriptedFailure(what: "analyzer") }
        defer { opens[frame.index]?.open() }
        return faces(frame.index)
    }
}
