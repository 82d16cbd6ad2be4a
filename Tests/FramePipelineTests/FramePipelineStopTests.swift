import FramePipeline
import Synchronization
import Testing
import VideoCore

@Suite("FramePipeline: stop and errors", .timeLimit(.minutes(10)))
struct FramePipelineStopTests {
    @Test("stop() from the sink mid-run: an endless source ends, everything read is delivered")
    func stopFromSink() async throws {
        let source = ScriptedSource(frameCount: nil)
        let configuration = PipelineConfiguration(workerCount: 3)
        let pipeline = FramePipeline(source: source, configuration: configuration) {
            ScriptedAnalyzer(seed: 1, maxWork: 10_000)
        }
        let sink = RecordingSink { count in
            if count == 10 { pipeline.stop() }
        }
        let statistics = try await pipeline.run { try sink.record($0) }
        let delivered = sink.delivered
        #expect(statistics.framesRead == source.framesProduced)
        #expect(statistics.framesDelivered == statistics.framesRead, "frames already read are drained to the sink")
        #expect(delivered.map(\.index) == Array(0..<delivered.count))
        #expect(delivered.count >= 10)
        #expect(delivered.count <= 10 + configuration.maximumFramesHeld, "the source stopped promptly")
    }

    @Test("hurry() from the sink: frames already read are dropped, not analysed or delivered, and the run ends")
    func hurryFromSink() async throws {
        // Frame 3 waits in its worker until the sink has asked to hurry; the frames behind it are
        // then dropped instead of analysed and delivered.
        let hurried = Gate()
        let source = ScriptedSource(frameCount: nil)
        let configuration = PipelineConfiguration(workerCount: 2)
        let pipeline = FramePipeline(source: source, configuration: configuration) {
            ScriptedAnalyzer(gates: [3: hurried])
        }
        let sink = RecordingSink { count in
            if count == 3 {
                pipeline.hurry()
                hurried.open()
            }
        }
        let statistics = try await pipeline.run { try sink.record($0) }
        #expect(sink.delivered.map(\.index) == [0, 1, 2])
        #expect(statistics.framesDelivered == 3)
        #expect(statistics.framesRead > 3, "frames were read and dropped")
        #expect(statistics.framesRead <= 3 + configuration.maximumFramesHeld)
    }

    @Test("cancelling the run task stops a live source blocked waiting for frames")
    func cancelWhileSourceWaits() async throws {
        let fiveDelivered = Gate()
        let source = ScriptedSource(pacing: .live, frameCount: nil, quietAfter: 5)
        // Room for all five frames in the source queue, so none is dropped before it is numbered.
        let configuration = PipelineConfiguration(workerCount: 2, sourceQueueCapacity: 8)
        let pipeline = FramePipeline(source: source, configuration: configuration) {
            ScriptedAnalyzer()
        }
        let sink = RecordingSink { count in
            if count == 5 { fiveDelivered.open() }
        }
        let task = Task { try await pipeline.run { try sink.record($0) } }
        try await fiveDelivered.waitOnThread()
        task.cancel()
        let statistics = try await task.value
        #expect(statistics.framesRead == 5)
        #expect(sink.delivered.map(\.index) == [0, 1, 2, 3, 4])
    }

    @Test("a source that throws: the error surfaces after the frames before it are delivered")
    func sourceErrorAfterDraining() async throws {
        let source = ScriptedSource(frameCount: nil, failAfter: 7)
        let pipeline = FramePipeline(source: source, configuration: PipelineConfiguration(workerCount: 3)) {
            ScriptedAnalyzer(seed: 2, maxWork: 10_000)
        }
        let sink = RecordingSink()
        await #expect(throws: ScriptedFailure(what: "source")) {
            try await pipeline.run { try sink.record($0) }
        }
        #expect(sink.delivered.map(\.index) == Array(0..<7))
        #expect(sink.delivered.allSatisfy { $0.detections == scriptedFaces(forFrame: $0.index) })
        #expect(pipeline.statistics.framesDelivered == 7)
    }

    @Test("an analyzer that throws ends the run with its error; its frame arrives unanalysed, nothing hangs")
    func analyzerErrorEndsRun() async throws {
        let source = ScriptedSource(frameCount: nil)
        let pipeline = FramePipeline(source: source, configuration: PipelineConfiguration(workerCount: 2)) {
            ScriptedAnalyzer(failOn: 4)
        }
        let sink = RecordingSink()
        await #expect(throws: ScriptedFailure(what: "analyzer")) {
            try await pipeline.run { try sink.record($0) }
        }
        let delivered = sink.delivered
        #expect(delivered.map(\.index) == Array(0..<delivered.count))
        #expect(delivered.count == source.framesProduced)
        #expect(delivered.first { $0.index == 4 }?.detections == nil)
        #expect(pipeline.statistics.analysisFailures == 1)
    }

    @Test("an analyzer factory that throws ends the run with its error")
    func factoryErrorEndsRun() async throws {
        let source = ScriptedSource(frameCount: nil)
        let pipeline = FramePipeline(source: source, configuration: PipelineConfiguration(workerCount: 2)) {
            () throws -> ScriptedAnalyzer in throw ScriptedFailure(what: "factory")
        }
        let sink = RecordingSink()
        await #expect(throws: ScriptedFailure(what: "factory")) {
            try await pipeline.run { try sink.record($0) }
        }
        #expect(sink.delivered.allSatisfy { $0.detections == nil })
        #expect(sink.delivered.count == source.framesProduced)
    }

    @Test("a sink that throws ends the run with its error; the rest is drained without calling it")
    func sinkErrorEndsRun() async throws {
        let source = ScriptedSource(frameCount: nil)
        let pipeline = FramePipeline(source: source, configuration: PipelineConfiguration(workerCount: 2)) {
            ScriptedAnalyzer()
        }
        let sink = RecordingSink { count in
            if count == 3 { throw ScriptedFailure(what: "sink") }
        }
        await #expect(throws: ScriptedFailure(what: "sink")) {
            try await pipeline.run { try sink.record($0) }
        }
        #expect(sink.delivered.map(\.index) == [0, 1, 2])
        #expect(pipeline.statistics.framesDelivered == 2)
    }

    @Test("stop() before the run: nothing is read and the run returns")
    func stopBeforeRun() async throws {
        let source = ScriptedSource(frameCount: nil)
        let pipeline = FramePipeline(source: source, configuration: PipelineConfiguration(workerCount: 1)) {
            ScriptedAnalyzer()
        }
        pipeline.stop()
        let statistics = try await pipeline.run { _ in }
        #expect(statistics.framesRead == 0)
    }
}

/// Workers make their analyzer when their first frame comes, so a stream that waits for its
/// source (a missing camera, an unreachable URL) holds no detector and its scratch memory.
@Suite("FramePipeline: analyzers are made on demand", .timeLimit(.minutes(10)))
struct FramePipelineLazyAnalyzerTests {
    final class FactoryCount: Sendable {
        let value = Atomic<Int>(0)
    }

    func run(frames: Int, workers: Int) async throws -> Int {
        let made = FactoryCount()
        let pipeline = FramePipeline(
            source: ScriptedSource(frameCount: frames), configuration: PipelineConfiguration(workerCount: workers)
        ) {
            made.value.add(1, ordering: .relaxed)
            return ScriptedAnalyzer()
        }
        let statistics = try await pipeline.run { _ in }
        #expect(statistics.framesAnalyzed == frames)
        return made.value.load(ordering: .relaxed)
    }

    @Test("a source that gives no frame makes no analyzer")
    func noFrameNoAnalyzer() async throws {
        #expect(try await run(frames: 0, workers: 3) == 0)
    }

    @Test("one frame on three workers makes one analyzer")
    func oneFrameOneAnalyzer() async throws {
        #expect(try await run(frames: 1, workers: 3) == 1)
    }

    @Test("frames that come one at a time share one analyzer among three workers")
    func framesOneAtATimeShareOneAnalyzer() async throws {
        // Frame k is read only once frame k - 1 reached the sink: never two frames in the workers.
        let gates = Dictionary(uniqueKeysWithValues: (1..<20).map { ($0, Gate()) })
        let made = FactoryCount()
        let pipeline = FramePipeline(
            source: ScriptedSource(frameCount: 20, waitBefore: gates),
            configuration: PipelineConfiguration(workerCount: 3)
        ) {
            made.value.add(1, ordering: .relaxed)
            return ScriptedAnalyzer()
        }
        let statistics = try await pipeline.run { result in gates[result.frame.index + 1]?.open() }
        #expect(statistics.framesAnalyzed == 20)
        #expect(made.value.load(ordering: .relaxed) == 1)
    }

    @Test("two frames analysed at the same time get two analyzers")
    func concurrentFramesGetTheirOwnAnalyzers() async throws {
        // Frame 0's analysis waits until frame 1's has started: both run at once.
        let second = Gate()
        let made = FactoryCount()
        let pipeline = FramePipeline(
            source: ScriptedSource(frameCount: 2), configuration: PipelineConfiguration(workerCount: 3)
        ) {
            made.value.add(1, ordering: .relaxed)
            return ScriptedAnalyzer(gates: [0: second], opensOnStart: [1: second])
        }
        let statistics = try await pipeline.run { _ in }
        #expect(statistics.framesAnalyzed == 2)
        #expect(made.value.load(ordering: .relaxed) == 2)
    }
}
