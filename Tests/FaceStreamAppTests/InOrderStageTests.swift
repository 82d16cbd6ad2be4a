import DetectionSinks
import FrameProcessing
import Testing
import VideoCore

@testable import FaceStreamApp

/// The in-order stage: processors, then every sink; a failing sink is fed no more frames and the
/// others go on; every sink is finished once.
@Suite struct InOrderStageTests {
    final class RecordingSink: DetectionSink {
        var frames: [(index: Int, faces: Int?, shown: Int)] = []
        var finished = 0
        let failAt: Int?
        let failOnFinish: Bool

        init(failAt: Int? = nil, failOnFinish: Bool = false) {
            self.failAt = failAt
            self.failOnFinish = failOnFinish
        }

        var needsPixels: Bool { false }

        func open() throws(OutputFailure) {}

        func write(_ frame: FrameDetections) throws(OutputFailure) {
            if frame.frame.index == failAt { throw OutputFailure("sink failed at \(frame.frame.index)") }
            frames.append((frame.frame.index, frame.faces?.count, frame.shownFaces.count))
        }

        func finish() throws(OutputFailure) {
            finished += 1
            if failOnFinish { throw OutputFailure("finish failed") }
        }
    }

    static func frame(_ index: Int, faces: [Detection]?) -> FrameDetections {
        let image = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
        return FrameDetections(frame: VideoFrame(image: image, index: index, pts: nil), sequence: index, faces: faces)
    }

    static func faces(_ sides: [Float]) -> [Detection] {
        sides.map {
            Detection(box: BoundingBox(x1: 0, y1: 0, x2: $0, y2: $0), score: 0.9, classIndex: 1, label: "face")
        }
    }

    @Test func processorsRunBeforeEverySinkAndFacesAreCountedAfterThem() {
        let first = RecordingSink()
        let second = RecordingSink()
        let stage = InOrderStage(processors: .standard(minimumFaceSize: 20), sinks: [first, second])
        stage.deliver(Self.frame(0, faces: Self.faces([10, 30, 40])))
        stage.deliver(Self.frame(1, faces: nil))
        stage.deliver(Self.frame(2, faces: Self.faces([50])))
        #expect(stage.finish() == nil)
        for sink in [first, second] {
            #expect(sink.frames.map(\.index) == [0, 1, 2])
            #expect(sink.frames.map(\.faces) == [2, nil, 1])
            #expect(sink.frames.map(\.shown) == [2, 2, 1])
            #expect(sink.finished == 1)
        }
        #expect(stage.facesDelivered.value == 3)
    }

    @Test func aFailingSinkIsFedNoMoreFramesWhileTheOthersGoOn() {
        let failing = RecordingSink(failAt: 1)
        let healthy = RecordingSink()
        let stage = InOrderStage(processors: ProcessorChain([]), sinks: [failing, healthy])
        #expect(stage.deliver(Self.frame(0, faces: [])) == false)
        #expect(stage.deliver(Self.frame(1, faces: [])) == true)
        #expect(stage.deliver(Self.frame(2, faces: [])) == false)
        #expect(failing.frames.map(\.index) == [0])
        #expect(healthy.frames.map(\.index) == [0, 1, 2])
        #expect(stage.finish()?.description == "sink failed at 1")
        // Failed sinks are still finished, so a video file gets its trailer.
        #expect(failing.finished == 1 && healthy.finished == 1)
    }

    @Test func aFailureWhileFinishingIsReportedAndTheOtherSinksAreFinished() {
        let first = RecordingSink(failOnFinish: true)
        let second = RecordingSink()
        let stage = InOrderStage(processors: ProcessorChain([]), sinks: [first, second])
        stage.deliver(Self.frame(0, faces: []))
        #expect(stage.finish()?.description == "finish failed")
        #expect(second.finished == 1)
    }

    @Test func theStageAsksForPixelsOnlyWhenASinkDoes() throws {
        let json = RecordingSink()
        #expect(!InOrderStage(processors: ProcessorChain([]), sinks: [json]).needsPixels)
        let annotated = AnnotatedVideoSink(
            request: AnnotationRequest(path: "/tmp/x.mkv", style: .box, encoder: .init()))
        #expect(InOrderStage(processors: ProcessorChain([]), sinks: [json, annotated]).needsPixels)
    }
}
