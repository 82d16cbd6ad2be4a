import FaceDetection
import NeuralEngine
import ONNXImport

/// Loads fuzzed bytes as `DetectorLoader` does: import, compile, inspect as UltraFace.
/// Malformed bytes must throw at one of the three steps; a trap or sanitizer report is a defect.
enum ONNXHarness {
    /// Planned memory allowed per compiled model: far below libFuzzer's 2 GiB RSS limit, so a
    /// model declaring huge tensors is refused by the compiler's own limit, not by the fuzzer.
    static let memoryLimitBytes = 256 << 20

    static func check(_ bytes: [UInt8]) {
        guard let model = try? ONNXImporter.load(bytes: bytes) else { return }
        let options = CompileOptions(threads: 1, memoryLimitBytes: memoryLimitBytes)
        guard let compiled = try? CompiledModel(graph: model.graph, options: options) else { return }
        _ = try? UltraFaceModel(graph: model.graph, compiled: compiled)
    }
}
