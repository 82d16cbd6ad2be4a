import FramePipeline
import Synchronization
import Testing
import VideoCore

@Suite("FramePipeline: analysis duration per frame", .timeLimit(.minutes(10)))
struct FramePipelineTimingTests {
    @Test("analysed frames carry the time analyze took (at least what the analyzer measured itself); others nil")
    func analysedFramesCarryTheirDuration() async throws {
        // What each analyzer call measured around its own work, by frame index.
        let inner = Mutex<[Int: Duration]>([:])
        let source = ScriptedSource(frameCount: 12, pts: { Double($0) / 30 })
        let configuration = PipelineConfiguration(workerCount: 2, selection: .everyNth(2))
        let pipeline = FramePipeline(source: source, configuration: configuration) {
            ClosureAnalyzer<FakeFrame> { frame in
                let clock = ContinuousClock()
                let start = clock.now
                var work = ScriptedAnalyzer(seed: 9, maxWork: 20_000)
                let faces = try work.analyze(frame)
                let spent = clock.now - start
                inner.withLock { $0[frame.index] = spent }
                return faces
            }
        }
        let durations = Mutex<[(index: Int, analysed: Bool, duration: Duration?)]>([])
        let statistics = try await pipeline.run { result in
            durations.withLock { $0.append((result.frame.index, result.isAnalyzed, result.analysisDuration)) }
        }
        let delivered = durations.withLock { $0 }
        let measured = inner.withLock { $0 }
        #expect(delivered.count == 12)
        #expect(statistics.framesAnalyzed == 6)
        for frame in delivered {
            if frame.analysed {
                let duration = try #require(frame.duration, "frame \(frame.index)")
                let own = try #require(measured[frame.index])
                #expect(duration >= own, "frame \(frame.index): \(duration) < \(own)")
            } else {
                #expect(frame.duration == nil, "frame \(frame.index)")
            }
        }
    }

    @Test("a frame whose analysis throws has no duration")
    func failedAnalysisHasNoDuration() async throws {
        let source = ScriptedSource(frameCount: 6)
        let pipeline = FramePipeline(source: source, configuration: PipelineConfiguration(workerCount: 1)) {
            ScriptedAnalyzer(failOn: 3)
        }
        let sink = DurationSink()
        var failure: (any Error)?
        do {
            _ = try await pipeline.run { sink.record($0) }
        } catch {
            failure = error
        }
        #expect(failure is ScriptedFailure)
        let seen = sink.durations
        let failed = try #require(seen[3])
        #expect(failed == nil)
        #expect(seen[0].flatMap { $0 } != nil)
    }
}

/// Keeps each delivered frame's `analysisDuration` by frame index; thread-safe.
private final class DurationSink: Sendable {
    private let state = Mutex<[Int: Duration?]>([:])

    var durations: [Int: Duration?] { state.withLock { $0 } }

    func record(_ result: FrameResult<FakeFrame>) {
        state.withLock { $0[result.frame.index] = result.analysisDuration }
    }
}
