import NeuralEngine
import VideoCore

/// An UltraFace model (version-slim, version-RFB, masked-face; with or without box decoding in the
/// graph) compiled once and shared by every worker, each of which gets its own `FaceDetector`.
public struct UltraFaceModel: DetectorModel {
    /// The compiled network.
    public let compiled: CompiledModel
    /// Inputs, outputs, priors and classes as found by inspecting the graph.
    public let layout: ModelLayout

    /// Inspects `graph` (compiled as `compiled`); throws when it is not an UltraFace layout.
    public init(graph: Graph, compiled: CompiledModel) throws(FaceDetectionError) {
        self.compiled = compiled
        layout = try ModelLayout(graph: graph, model: compiled)
    }

    /// The network's input size.
    public var inputSize: (width: Int, height: Int) { (layout.inputWidth, layout.inputHeight) }

    /// The resize to the network input, run by the source (`InputResizeSampler`).
    public var inputSampler: (any PictureSampler)? {
        InputResizeSampler(width: layout.inputWidth, height: layout.inputHeight)
    }

    /// A detector with its own inference session.
    public func makeDetector(_ thresholds: DetectionThresholds) -> any FaceDetecting {
        makeFaceDetector(thresholds)
    }

    /// The same detector, typed (for callers that want the priors).
    public func makeFaceDetector(_ thresholds: DetectionThresholds) -> FaceDetector {
        FaceDetector(
            model: compiled, layout: layout,
            options: DetectionOptions(scoreThreshold: thresholds.score, iouThreshold: thresholds.iou))
    }
}
