import FramePipeline
import Testing
import VideoCore

@Suite("FramePipeline: order, completeness, memory", .timeLimit(.minutes(10)))
struct FramePipelineOrderTests {
    @Test("a file on 3 workers with seeded random delays: every frame exactly once, in order, with its own faces")
    func everyFrameOnceInOrder() async throws {
        let total = 300
        let source = ScriptedSource(frameCount: total)
        let pipeline = FramePipeline(source: source, configuration: PipelineConfiguration(workerCount: 3)) {
            ScriptedAnalyzer(seed: 7, maxWork: 20_000)
        }
        let sink = RecordingSink()
        let statistics = try await pipeline.run { try sink.record($0) }

        let delivered = sink.delivered
        #expect(delivered.map(\.sequence) == Array(0..<total))
        #expect(delivered.map(\.index) == Array(0..<total))
        #expect(delivered.allSatisfy { $0.detections == scriptedFaces(forFrame: $0.index) })
        #expect(statistics.framesRead == total)
        #expect(statistics.framesAnalyzed == total)
        #expect(statistics.framesDelivered == total)
        #expect(statistics.framesDropped == 0)
        #expect(statistics.framesSkipped == 0)
        #expect(statistics.wallTime > .zero)
    }

    @Test("a frame that finishes late is delivered before the frames that overtook it")
    func lateFrameKeepsItsPlace() async throws {
        // Frame 0 waits until frame 3 has been analysed by another worker: 1, 2 and 3 overtake it.
        let frame3Done = Gate()
        let source = ScriptedSource(frameCount: 12)
        let pipeline = FramePipeline(source: source, configuration: PipelineConfiguration(workerCount: 3)) {
            ScriptedAnalyzer(gates: [0: frame3Done], opens: [3: frame3Done])
        }
        let sink = RecordingSink()
        try await pipeline.run { try sink.record($0) }
        #expect(sink.delivered.map(\.index) == Array(0..<12))
        #expect(sink.delivered.allSatisfy { $0.detections == scriptedFaces(forFrame: $0.index) })
    }

    @Test(
        "frames alive never exceed the configured bound, whatever the source rate",
        arguments: [SourcePacing.file, .live])
    func memoryBounded(pacing: SourcePacing) async throws {
        let counter = FrameLifeCounter()
        let configuration = PipelineConfiguration(workerCount: 3, sourceQueueCapacity: 3, maxFramesInFlight: 5)
        let source = ScriptedSource(pacing: pacing, frameCount: 600, lifeCounter: counter)
        let pipeline = FramePipeline(source: source, configuration: configuration) {
            ScriptedAnalyzer(seed: 11, maxWork: 30_000)
        }
        let sink = RecordingSink()
        let statistics = try await pipeline.run { try sink.record($0) }
        #expect(statistics.framesRead == 600)
        #expect(statistics.framesDelivered + statistics.framesDropped == 600)
        #expect(counter.peak <= configuration.maximumFramesHeld)
        #expect(counter.peak >= 2, "frames were alive at all")
        #expect(counter.alive == 0, "the pipeline keeps no frame after the run")
    }

    @Test("a VideoCore FrameSource runs through the adapter with a closure analyzer")
    func frameSourceAdapter() async throws {
        let base = CountingVideoSource(frames: 5)
        let pipeline = FramePipeline(
            source: FrameSourceAdapter(base), configuration: PipelineConfiguration(workerCount: 2)
        ) {
            ClosureAnalyzer<VideoFrame> { frame in
                [
                    Detection(
                        box: BoundingBox(
                            x1: Float(frame.index), y1: 0, x2: Float(frame.size.width), y2: Float(frame.size.height)),
                        score: 1, classIndex: 1, label: "face")
                ]
            }
        }
        let indices = IndexRecorder()
        let statistics = try await pipeline.run { result in
            indices.append(result.frame.index, faces: result.detections?.map { Int($0.box.x1) } ?? [])
        }
        #expect(indices.values == (0..<5).map { [$0, $0] })
        #expect(statistics.framesAnalyzed == 5)
    }
}
