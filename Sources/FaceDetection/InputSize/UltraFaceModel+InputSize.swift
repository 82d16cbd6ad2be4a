import NeuralEngine

extension UltraFaceModel {
    /// The model in `graph` compiled for a `width x height` input (see `UltraFaceGraph.resized`):
    /// raw offsets decoded with priors generated for that size. Compiling RFB-320 takes tens of
    /// milliseconds; do it once per size and share the result between workers.
    public static func sized(_ graph: Graph, width: Int, height: Int, options: CompileOptions)
        throws(FaceDetectionError) -> UltraFaceModel
    {
        let resized = try UltraFaceGraph.resized(graph, width: width, height: height)
        let compiled: CompiledModel
        do {
            compiled = try CompiledModel(graph: resized, options: options)
        } catch {
            throw FaceDetectionError(.unsupportedModel, "cannot run at \(width)x\(height): \(error)")
        }
        let model = try UltraFaceModel(graph: resized, compiled: compiled)
        guard model.layout.boxEncoding == .offsets else {
            preconditionFailure("a resized UltraFace graph still decodes its boxes")
        }
        return model
    }
}
