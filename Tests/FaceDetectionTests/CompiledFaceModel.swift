import FaceDetection
import NeuralEngine
import ONNXImport
import TestSupport

/// A shared model file imported, compiled and inspected (for tests).
struct CompiledFaceModel: Sendable {
    var model: CompiledModel
    var layout: ModelLayout

    static func load(_ modelID: String) throws -> CompiledFaceModel {
        let manifest = try GoldenManifest.load()
        guard let entry = manifest.models[modelID] else {
            throw FaceDetectionError(.unsupportedModel, "no model \(modelID)")
        }
        let onnx = try ONNXImporter.load(contentsOf: SharedData.model(entry.fileName))
        let model = try CompiledModel(graph: onnx.graph)
        return CompiledFaceModel(model: model, layout: try ModelLayout(graph: onnx.graph, model: model))
    }
}
