import TestSupport
import Testing
import VideoCore

@testable import FaceDetection

/// Selection + NMS on the stored raw outputs reproduce the golden detections exactly.
@Suite struct DetectionSelectorTests {
    @Test func everyRawCaseIsCovered() {
        #expect(GoldenRawCase.identifiers.count == 49)
    }

    @Test(arguments: GoldenRawCase.identifiers)
    func reproducesGoldenDetections(identifier: String) throws {
        let raw = try GoldenRawCase.load(identifier)
        let golden = try GoldenDetections.load(raw.detectionsPath)
        let corners = raw.corners
        #expect(golden.results.count == 2)
        for result in golden.results {
            let selector = DetectionSelector(
                options: DetectionOptions(
                    scoreThreshold: Float(result.scoreThreshold), iouThreshold: Float(result.iouThreshold),
                    candidateLimit: result.candidateSize))
            let detections = selector.select(
                scores: raw.scores, corners: corners, classCount: raw.classCount,
                imageWidth: golden.imageWidth, imageHeight: golden.imageHeight)
            GoldenComparison.expectIdentical(
                detections, result.detections, context: "\(identifier) @ \(result.scoreThreshold)")
        }
    }

    @Test func boxesWithNonFiniteCornersAreNeverReported() {
        let selector = DetectionSelector(options: DetectionOptions(scoreThreshold: 0.5))
        // Three priors scoring 0.9: one with a NaN corner, one infinite, one fine.
        let scores: [Float] = [0.1, 0.9, 0.1, 0.9, 0.1, 0.9]
        let corners: [Float] = [0.1, .nan, 0.2, 0.2, 0.1, 0.1, .infinity, 0.3, 0.5, 0.5, 0.6, 0.6]
        let picked = selector.select(scores: scores, corners: corners, classCount: 2, imageWidth: 100, imageHeight: 100)
        #expect(picked.map(\.priorIndex) == [2])
        #expect(picked.allSatisfy { [$0.detection.box.x1, $0.detection.box.y2].allSatisfy(\.isFinite) })
    }

    @Test func iouUsesEpsilonAndClampsWidths() {
        // Identical unit-ish boxes: IoU = a / (2a - a + 1e-5); disjoint boxes: 0.
        let corners: [Float] = [0, 0, 0.5, 0.5, 0, 0, 0.5, 0.5, 0.6, 0.6, 0.7, 0.7]
        let same = DetectionSelector.intersectionOverUnion(0, 1, corners: corners)
        #expect(same == Float(0.25) / (Float(0.25) + 1e-5))
        #expect(DetectionSelector.intersectionOverUnion(0, 2, corners: corners) == 0)
    }
}

/// Field-by-field comparison with the reference detections.
enum GoldenComparison {
    static func expectIdentical(
        _ detections: [PriorDetection], _ golden: [GoldenDetections.Detection], context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(detections.count == golden.count, "\(context): count", sourceLocation: sourceLocation)
        for (index, (found, reference)) in zip(detections, golden).enumerated() {
            let place = "\(context) #\(index)"
            let mine = found.detection
            #expect(found.priorIndex == reference.priorIndex, "\(place): prior", sourceLocation: sourceLocation)
            #expect(mine.classIndex == reference.label, "\(place): label", sourceLocation: sourceLocation)
            #expect(mine.label == reference.labelName, "\(place): label name", sourceLocation: sourceLocation)
            #expect(mine.score == Float(reference.score), "\(place): score", sourceLocation: sourceLocation)
            let box = [mine.box.x1, mine.box.y1, mine.box.x2, mine.box.y2]
            let worst = zip(box, reference.box).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worst <= 1e-3, "\(place): box off by \(worst) px", sourceLocation: sourceLocation)
        }
    }
}
