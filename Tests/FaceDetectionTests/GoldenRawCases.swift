import FaceDetection
import Foundation
import TestSupport

/// The golden cases that have stored raw outputs, with their tensors loaded.
struct GoldenRawCase: Sendable, CustomStringConvertible {
    var image: String
    var model: String
    var boxesAreOffsets: Bool
    var classCount: Int
    var inputWidth: Int
    var inputHeight: Int
    var scores: [Float]
    var boxes: [Float]
    var detectionsPath: String

    var description: String { "\(model)/\(image)" }

    /// Identifiers "model/image" of all cases with stored outputs.
    static let identifiers: [String] = {
        guard let manifest = try? GoldenManifest.load() else { return [] }
        return manifest.cases.filter { $0.outputs != nil }.map { "\($0.model)/\($0.image)" }
    }()

    static func load(_ identifier: String) throws -> GoldenRawCase {
        let manifest = try GoldenManifest.load()
        guard let entry = manifest.cases.first(where: { "\($0.model)/\($0.image)" == identifier }),
            let outputs = entry.outputs, let model = manifest.models[entry.model]
        else { throw CocoaError(.fileNoSuchFile) }
        return GoldenRawCase(
            image: entry.image, model: entry.model, boxesAreOffsets: model.boxesOutput == "offsets",
            classCount: outputs.scores.shape[2], inputWidth: model.inputWidth, inputHeight: model.inputHeight,
            scores: try SharedData.readFloats(GoldenManifest.url(outputs.scores.path)),
            boxes: try SharedData.readFloats(GoldenManifest.url(outputs.boxes.path)),
            detectionsPath: entry.detections)
    }

    /// Corner boxes: stored as is, or decoded from the offsets with the priors.
    var corners: [Float] {
        boxesAreOffsets
            ? BoxDecoder.decode(offsets: boxes, priors: PriorBoxes(inputWidth: inputWidth, inputHeight: inputHeight))
            : boxes
    }
}
