import Foundation
import NeuralEngine

/// Loads ONNX model files (protobuf `ModelProto`) into `ONNXModel`s.
///
/// The protobuf wire format is read directly (no generated code). Malformed, truncated or hostile
/// bytes throw `ONNXImportError`; they never crash. Tensor data is copied once from the file
/// bytes; loading a 1 MB model takes a few milliseconds.
public enum ONNXImporter {
    /// Files larger than this are rejected: protobuf messages are limited to 2 GiB.
    public static let maximumFileSize = Int(Int32.max)

    /// Reads and loads the model file at `url`. Errors carry the file path.
    public static func load(contentsOf url: URL) throws(ONNXImportError) -> ONNXModel {
        let data: Data
        do {
            // Read, not mapped: a mapped file shrunk by another process would crash the reader.
            data = try Data(contentsOf: url)
        } catch {
            throw ONNXImportError(
                .unreadableFile, "cannot read the model file (\(error.localizedDescription))", file: url.path)
        }
        // `withUnsafeBytes` rethrows untyped errors, so the result travels as a `Result`.
        let result = data.withUnsafeBytes { buffer in Result { () throws(ONNXImportError) in try load(buffer: buffer) }
        }
        do {
            return try result.get()
        } catch var error {
            error.file = url.path
            throw error
        }
    }

    /// Loads a model from the bytes of an ONNX file.
    public static func load(bytes: [UInt8]) throws(ONNXImportError) -> ONNXModel {
        try bytes.withUnsafeBytes { buffer in Result { () throws(ONNXImportError) in try load(buffer: buffer) } }.get()
    }

    private static func load(buffer: UnsafeRawBufferPointer) throws(ONNXImportError) -> ONNXModel {
        guard buffer.count <= maximumFileSize else {
            throw ONNXImportError(.malformed, "the file is larger than 2 GiB, the protobuf limit")
        }
        var reader = ProtobufReader(buffer: buffer, message: "ModelProto")
        let model = try ModelMessage(reading: &reader)
        guard let graph = model.graph else {
            throw ONNXImportError(
                .malformed, "the model has no graph (\(buffer.count) bytes read)",
                hint: buffer.count == 0 ? "the file is empty" : "is this an ONNX model file?")
        }
        guard model.irVersion >= 1 else {
            throw ONNXImportError(.malformed, "the model has no ir_version")
        }
        let defaultSets = model.operatorSets.filter { $0.domain.isEmpty || $0.domain == "ai.onnx" }
        guard let operatorSet = defaultSets.map(\.version).max(), operatorSet >= 1 else {
            throw ONNXImportError(.malformed, "the model imports no version of the default operator set (opset_import)")
        }
        let builder = GraphBuilder(message: graph, operatorSetVersion: operatorSet, buffer: buffer)
        return ONNXModel(
            graph: try builder.build(), irVersion: model.irVersion, operatorSetVersion: operatorSet,
            producerName: model.producerName, producerVersion: model.producerVersion)
    }
}
