import FramePipeline
import Testing
import VideoCore

@Suite("FramePipeline: frame selection", .timeLimit(.minutes(10)))
struct FramePipelineSelectionTests {
    private func run(
        frames: Int, selection: FrameSelection, pts: @escaping @Sendable (Int) -> Double? = { Double($0) / 30 },
        faces: @escaping @Sendable (Int) -> [Detection] = scriptedFaces(forFrame:)
    ) async throws -> ([DeliveredFrame], PipelineStatistics) {
        let source = ScriptedSource(frameCount: frames, pts: pts)
        let configuration = PipelineConfiguration(workerCount: 2, selection: selection)
        let pipeline = FramePipeline(source: source, configuration: configuration) {
            ScriptedAnalyzer(seed: 5, maxWork: 5_000, faces: faces)
        }
        let sink = RecordingSink()
        let statistics = try await pipeline.run { try sink.record($0) }
        return (sink.delivered, statistics)
    }

    @Test("--every 3: frames 0, 3, 6 ... analysed; the others delivered unanalysed, in order")
    func everyThird() async throws {
        let (delivered, statistics) = try await run(frames: 20, selection: .everyNth(3))
        #expect(delivered.map(\.index) == Array(0..<20))
        for frame in delivered {
            #expect(frame.detections == (frame.index % 3 == 0 ? scriptedFaces(forFrame: frame.index) : nil))
        }

        #expect(statistics.framesAnalyzed == 7)
        #expect(statistics.framesSkipped == 13)
        #expect(statistics.framesDelivered == 20)
    }

    @Test("--fps 10 on 30 fps timestamps analyses every third frame")
    func fpsOnConstantRate() async throws {
        let (delivered, statistics) = try await run(frames: 60, selection: .maximumRate(framesPerSecond: 10))
        #expect(delivered.filter { $0.detections != nil }.map(\.index) == Array(stride(from: 0, to: 60, by: 3)))
        #expect(statistics.framesAnalyzed == 20)
        #expect(delivered.count == 60)
    }

    @Test("--fps 10 on variable timestamps: the first frame of each 100 ms slot")
    func fpsOnVariableRate() async throws {
        let times: [Double] = [0, 0.05, 0.09, 0.1, 0.25, 0.26, 0.31, 0.399, 0.4]
        // Slots (floor(t * 10)): 0 0 0 1 2 2 3 3 4 -> first of each slot.
        let (delivered, _) = try await run(
            frames: times.count, selection: .maximumRate(framesPerSecond: 10), pts: { times[$0] })
        #expect(delivered.filter { $0.detections != nil }.map(\.index) == [0, 3, 4, 6, 8])
    }

    @Test("--fps without timestamps: all frames, or index / assumed rate when one is given")
    func fpsWithoutTimestamps() async throws {
        let (all, _) = try await run(frames: 9, selection: .maximumRate(framesPerSecond: 10), pts: { _ in nil })
        #expect(all.allSatisfy { $0.detections != nil })
        let (assumed, _) = try await run(
            frames: 9, selection: .maximumRate(framesPerSecond: 10, assumedFrameRate: 30), pts: { _ in nil })
        #expect(assumed.filter { $0.detections != nil }.map(\.index) == [0, 3, 6])
    }

    @Test("--fps: a timestamp that jumps back (a reconnect) starts over")
    func fpsTimestampJumpsBack() async throws {
        let times: [Double] = [5.0, 5.05, 0.0, 0.05, 0.1]
        let (delivered, _) = try await run(
            frames: times.count, selection: .maximumRate(framesPerSecond: 10), pts: { times[$0] })
        #expect(delivered.filter { $0.detections != nil }.map(\.index) == [0, 2, 4])
    }
}
