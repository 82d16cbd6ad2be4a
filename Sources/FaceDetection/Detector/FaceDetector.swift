import NeuralEngine
import VideoCore

/// Finds faces in RGB pictures with an UltraFace model: pre-processing (OpenCV-identical resize and
/// normalisation, written straight into the session's input), inference, box decoding when the model
/// outputs raw offsets, then threshold + NMS and scaling to the picture's pixels.
///
/// Owns one `InferenceSession` and scratch buffers, so it is **not thread-safe**: use one detector per
/// worker thread; they can share one `CompiledModel`. After the first picture of a given size, a call
/// allocates only the returned detections and the per-class candidate lists.
public final class FaceDetector: FaceDetecting {
    /// The model's layout as found by inspection.
    public let layout: ModelLayout
    /// Thresholds used by `detect(in:)`.
    public let options: DetectionOptions

    private let session: InferenceSession
    private let selector: DetectionSelector
    private var input: InputTensorBuilder
    /// Priors and the decoded-corner buffer, only for models that output raw offsets.
    private let priors: PriorBoxes?
    private var corners: [Float]

    /// Makes a detector with its own session on `model`.
    public init(model: CompiledModel, layout: ModelLayout, options: DetectionOptions = DetectionOptions()) {
        self.layout = layout
        self.options = options
        session = model.makeSession()
        selector = DetectionSelector(options: options)
        input = InputTensorBuilder(width: layout.inputWidth, height: layout.inputHeight)
        if layout.boxEncoding == .offsets {
            priors = PriorBoxes(inputWidth: layout.inputWidth, inputHeight: layout.inputHeight)
            corners = [Float](repeating: 0, count: layout.priorCount * 4)
        } else {
            priors = nil
            corners = []
        }
    }

    /// Detections in `pixels`, in pixels of the whole picture, class by class, best first within a
    /// class. 4:2:0 planes are converted only where the resize to the network input reads them;
    /// sampled pixels must come from this detector's `inputSampler` (traps otherwise).
    public func detect(in pixels: FramePixels) throws(FaceDetectionError) -> [Detection] {
        try detectWithPriors(in: pixels).map(\.detection)
    }

    /// Detections in an RGB picture (a photo).
    public func detect(in image: RGBImage) throws(FaceDetectionError) -> [Detection] {
        try detect(in: .rgb(image))
    }

    /// As `detect(in:)`, with the prior each detection comes from (for comparisons with the reference).
    public func detectWithPriors(in pixels: FramePixels) throws(FaceDetectionError) -> [PriorDetection] {
        switch pixels {
        case .rgb(let image): session.withInput { input.fill($0, from: image) }
        case .yuv420(let picture): session.withInput { input.fill($0, from: picture) }
        case .sampled(let picture): session.withInput { input.fill($0, from: picture) }
        }
        let size = pixels.size
        return runAndSelect(imageWidth: size.width, imageHeight: size.height)
    }

    /// The pixels this detector reads of a picture of each size, reduced to its input on the
    /// source's thread (the same for every detector of the same input size).
    public var inputSampler: InputResizeSampler {
        InputResizeSampler(width: layout.inputWidth, height: layout.inputHeight)
    }

    /// Runs the network on the filled input and turns its outputs into detections.
    private func runAndSelect(imageWidth: Int, imageHeight: Int) -> [PriorDetection] {
        session.run()
        let layout = self.layout
        let selector = self.selector
        return session.withOutput(at: layout.scoresOutput) { scores in
            session.withOutput(at: layout.boxesOutput) { boxes in
                guard let priors else {
                    return selector.select(
                        scores: scores, corners: boxes, classCount: layout.classCount,
                        imageWidth: imageWidth, imageHeight: imageHeight)
                }
                return corners.withUnsafeMutableBufferPointer { decoded in
                    BoxDecoder.decode(offsets: boxes, priors: priors, into: decoded)
                    return selector.select(
                        scores: scores, corners: UnsafeBufferPointer(decoded), classCount: layout.classCount,
                        imageWidth: imageWidth, imageHeight: imageHeight)
                }
            }
        }
    }
}
