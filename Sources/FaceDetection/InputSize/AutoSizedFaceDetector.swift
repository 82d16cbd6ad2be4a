import VideoCore

/// The detector of `AutoSizedUltraFace`: one `FaceDetector` per network size met, made on this
/// worker's thread. Not thread-safe, like `FaceDetector`.
final class AutoSizedFaceDetector: FaceDetecting {
    private let family: AutoSizedUltraFace
    private let thresholds: DetectionThresholds
    private var detectors: [NetworkSize: FaceDetector] = [:]

    init(family: AutoSizedUltraFace, thresholds: DetectionThresholds) {
        self.family = family
        self.thresholds = thresholds
    }

    func detect(in pixels: FramePixels) throws -> [Detection] {
        try detector(for: pixels.size).detect(in: pixels)
    }

    /// The detector for pictures of `size`, with the prior of each detection (for tests).
    func detector(for size: (width: Int, height: Int)) throws(FaceDetectionError) -> FaceDetector {
        let network = family.networkSize(source: size)
        if let known = detectors[network] { return known }
        let made = try family.model(for: network).makeFaceDetector(thresholds)
        detectors[network] = made
        return made
    }
}
