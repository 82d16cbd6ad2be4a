import VideoCore

/// Turns per-prior class scores and corner boxes into final detections: threshold, per-class
/// candidate cap, hard NMS, scaling to pixels. Deterministic and the same arithmetic as the reference.
///
/// For each class 1..<C in turn: candidates are priors with `score > scoreThreshold`; they are sorted by
/// score, highest first, ties by lower prior index; the best `candidateLimit` are kept; then greedily the
/// best remaining is picked and every remaining candidate with `IoU > iouThreshold` against it is dropped.
/// IoU (float32, normalised boxes) is `inter / (areaA + areaB - inter + 1e-5)` with widths and heights
/// clamped at 0. Detections are listed class by class, each class in pick order. Boxes are scaled by
/// `x * imageWidth`, `y * imageHeight` in float32 and not clipped.
public struct DetectionSelector: Sendable {
    /// The thresholds.
    public var options: DetectionOptions

    /// A selector with these thresholds.
    public init(options: DetectionOptions) {
        self.options = options
    }

    /// Selects detections.
    /// - Parameters:
    ///   - scores: `[N, C]` softmax scores, row-major.
    ///   - corners: `[N, 4]` normalised corner boxes `x1, y1, x2, y2`.
    ///   - classCount: C, including the background class 0.
    ///   - imageWidth/imageHeight: pixels of the picture the boxes are scaled to.
    public func select(
        scores: [Float], corners: [Float], classCount: Int, imageWidth: Int, imageHeight: Int
    ) -> [PriorDetection] {
        scores.withUnsafeBufferPointer { scores in
            corners.withUnsafeBufferPointer { corners in
                select(
                    scores: scores, corners: corners, classCount: classCount, imageWidth: imageWidth,
                    imageHeight: imageHeight)
            }
        }
    }

    /// As `select(scores:corners:classCount:imageWidth:imageHeight:)`, reading caller-owned memory
    /// (e.g. an inference session's outputs) without copying it.
    public func select(
        scores: UnsafeBufferPointer<Float>, corners: UnsafeBufferPointer<Float>, classCount: Int,
        imageWidth: Int, imageHeight: Int
    ) -> [PriorDetection] {
        precondition(classCount >= 2, "need at least background and one class, got \(classCount)")
        precondition(
            scores.count % classCount == 0 && scores.count / classCount * 4 == corners.count,
            "scores (\(scores.count)) and boxes (\(corners.count)) disagree for \(classCount) classes")
        let labels = FaceLabels.names(classCount: classCount)
        let priorCount = corners.count / 4
        let scaleX = Float(imageWidth)
        let scaleY = Float(imageHeight)
        var detections: [PriorDetection] = []
        for classIndex in 1..<classCount {
            var candidates: [Int] = []
            for prior in 0..<priorCount where scores[prior * classCount + classIndex] > options.scoreThreshold {
                // A damaged model can give NaN or infinite boxes: never report one (JSON has no
                // number for them). NaN scores never pass the threshold compare.
                guard corners[prior * 4].isFinite, corners[prior * 4 + 1].isFinite, corners[prior * 4 + 2].isFinite,
                    corners[prior * 4 + 3].isFinite
                else { continue }
                candidates.append(prior)
            }
            candidates.sort { left, right in
                let leftScore = scores[left * classCount + classIndex]
                let rightScore = scores[right * classCount + classIndex]
                return leftScore != rightScore ? leftScore > rightScore : left < right
            }
            if candidates.count > options.candidateLimit {
                candidates.removeLast(candidates.count - options.candidateLimit)
            }
            for prior in suppress(candidates, corners: corners) {
                let box = BoundingBox(
                    x1: corners[prior * 4] * scaleX, y1: corners[prior * 4 + 1] * scaleY,
                    x2: corners[prior * 4 + 2] * scaleX, y2: corners[prior * 4 + 3] * scaleY)
                let detection = Detection(
                    box: box, score: scores[prior * classCount + classIndex], classIndex: classIndex,
                    label: labels[classIndex])
                detections.append(PriorDetection(detection, priorIndex: prior))
            }
        }
        return detections
    }

    /// Hard NMS over candidates sorted best first; returns the picked priors in pick order.
    func suppress(_ sorted: [Int], corners: UnsafeBufferPointer<Float>) -> [Int] {
        var remaining = sorted
        var picked: [Int] = []
        while let current = remaining.first {
            picked.append(current)
            remaining.removeFirst()
            remaining.removeAll { Self.intersectionOverUnion(current, $0, corners: corners) > options.iouThreshold }
        }
        return picked
    }

    /// IoU of two normalised corner boxes as the reference computes it (float32, eps 1e-5).
    /// `a` plays the reference's "current" box, `b` the "rest" box: the sum is `area(b) + area(a)`.
    static func intersectionOverUnion(_ a: Int, _ b: Int, corners: [Float]) -> Float {
        corners.withUnsafeBufferPointer { intersectionOverUnion(a, b, corners: $0) }
    }

    static func intersectionOverUnion(_ a: Int, _ b: Int, corners: UnsafeBufferPointer<Float>) -> Float {
        let interWidth = max(min(corners[a * 4 + 2], corners[b * 4 + 2]) - max(corners[a * 4], corners[b * 4]), 0)
        let interHeight = max(
            min(corners[a * 4 + 3], corners[b * 4 + 3]) - max(corners[a * 4 + 1], corners[b * 4 + 1]), 0)
        let intersection = interWidth * interHeight
        let areaA = max(corners[a * 4 + 2] - corners[a * 4], 0) * max(corners[a * 4 + 3] - corners[a * 4 + 1], 0)
        let areaB = max(corners[b * 4 + 2] - corners[b * 4], 0) * max(corners[b * 4 + 3] - corners[b * 4 + 1], 0)
        return intersection / (areaB + areaA - intersection + 1e-5)
    }
}
