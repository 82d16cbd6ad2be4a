import FramePipeline
import Testing
import VideoCore

@Suite("FramePipeline: live pacing", .timeLimit(.minutes(10)))
struct FramePipelineLiveTests {
    @Test(
        "a live source with a slow analyzer drops the oldest frames, counts them, and delivers in order without gaps in sequence"
    )
    func liveDropsAndCounts() async throws {
        // The source sends frame 0, waits until its analysis has started, then sends the rest at
        // once; the analyzer holds frame 0 until the source has sent everything. The pipeline is
        // full, so the source queue must drop. A file source would block instead.
        let frame0Started = Gate()
        let sourceDone = Gate()
        let total = 200
        let source = ScriptedSource(
            pacing: .live, frameCount: total, waitBefore: [1: frame0Started], onEnd: { sourceDone.open() })
        let configuration = PipelineConfiguration(workerCount: 1, sourceQueueCapacity: 2, maxFramesInFlight: 2)
        let pipeline = FramePipeline(source: source, configuration: configuration) {
            ScriptedAnalyzer(gates: [0: sourceDone], opensOnStart: [0: frame0Started])
        }
        let sink = RecordingSink()
        let statistics = try await pipeline.run { try sink.record($0) }

        let delivered = sink.delivered
        #expect(statistics.framesRead == total)
        #expect(statistics.framesDropped > 0)
        #expect(statistics.framesDelivered + statistics.framesDropped == total)
        #expect(delivered.count == statistics.framesDelivered)
        #expect(
            delivered.map(\.sequence) == Array(0..<delivered.count),
            "sequence has no gaps: nothing waits for a dropped frame")
        #expect(zip(delivered, delivered.dropFirst()).allSatisfy { $0.index < $1.index })
        #expect(delivered.first?.index == 0)
        #expect(delivered.last?.index == total - 1, "the newest frame is kept")
        // Frame 0 was held until the end, so at most the frames in flight and in Q1 survive.
        #expect(delivered.count <= 1 + configuration.maxFramesInFlight + configuration.sourceQueueCapacity)
        #expect(delivered.allSatisfy { $0.detections == scriptedFaces(forFrame: $0.index) })
    }

    @Test("the same slow analyzer on a file source loses nothing")
    func fileBlocksInstead() async throws {
        let frame1Analysed = Gate()
        let source = ScriptedSource(pacing: .file, frameCount: 60)
        let configuration = PipelineConfiguration(workerCount: 2, sourceQueueCapacity: 2, maxFramesInFlight: 2)
        let pipeline = FramePipeline(source: source, configuration: configuration) {
            ScriptedAnalyzer(seed: 3, maxWork: 10_000, gates: [0: frame1Analysed], opens: [1: frame1Analysed])
        }
        let sink = RecordingSink()
        let statistics = try await pipeline.run { try sink.record($0) }
        #expect(statistics.framesDropped == 0)
        #expect(sink.delivered.map(\.index) == Array(0..<60))
    }
}
