import CoreSupport
import FaceDetection
import Foundation
import NeuralEngine
import ONNXImport
import VideoCore

/// `NeuralEngine.Precision` for the command-line and daemon layers (`fp32` or `int8`).
public typealias ModelPrecision = Precision

/// A loaded and compiled model ready to make detectors: one per process, shared by all workers.
public struct LoadedModel: Sendable {
    /// Model name as written in records: the file name without `.onnx`.
    public let name: String
    /// Path it was loaded from.
    public let path: String
    /// The compiled network (what `facestream bench` times).
    public let compiled: CompiledModel
    /// The model family behind its protocol: makes one detector per worker thread.
    public let family: any DetectorModel
    /// Milliseconds spent reading and parsing the file.
    public let loadMilliseconds: Double
    /// Milliseconds spent compiling the graph.
    public let compileMilliseconds: Double
    /// The precision asked for; `compiled.quantizedSteps` says how many steps run in int8 (none
    /// when the CPU has no int8 kernels and the model fell back to float32).
    public var precision: Precision = .float32
    /// Where int8's static activation ranges came from (nil: none, or float32).
    public var calibration: Int8Calibration.Source? = nil

    /// A detector with its own scratch memory, for the calling thread.
    public func makeDetector(_ thresholds: DetectionThresholds) -> any FaceDetecting {
        family.makeDetector(thresholds)
    }
}

/// Finds, reads, checks and compiles the model; every failure becomes one `FaceStreamError` line.
public struct DetectorLoader: Sendable {
    let locator: ModelLocator

    public init(locator: ModelLocator = ModelLocator()) {
        self.locator = locator
    }

    /// Loads the model named by `explicitPath` (or found by the locator), to run at `inputSize`,
    /// on the whole frame and, with `tiles`, on overlapping tiles of it.
    public func load(
        explicitPath: String?, threads: Int, inputSize: InputSizeRequest = .model, tiles: TileRequest = .off,
        precision: Precision = .float32
    ) throws(FaceStreamError) -> LoadedModel {
        let path: String
        do {
            path = try locator.locate(explicit: explicitPath)
        } catch {
            throw FaceStreamError(.missingInput, error.description)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let model: ONNXModel
        do {
            model = try ONNXImporter.load(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var error = error
            error.file = nil  // the message names the path once, below
            throw FaceStreamError(
                .badModel, "model \(path): \(error); expected an UltraFace .onnx file (\(ModelLocator.fetchHint))")
        }
        var calibration: (calibration: Int8Calibration, source: Int8Calibration.Source)? = nil
        if precision == .int8 && Precision.int8Kernels != nil {
            calibration = try Int8Calibration.find(forModelAt: path, sha256: ModelCatalog.sha256(ofFileAt: path))
        }
        let loaded = clock.now
        let compiled: CompiledModel
        var family: any DetectorModel
        do {
            // The network's input is an image normalised from bytes (`InputTensorBuilder`), so an
            // int8 stem knows its range without scanning each frame.
            var inputRanges: [String: ClosedRange<Float>] = [:]
            if let input = model.graph.inputs.first { inputRanges[input.name] = InputTensorBuilder.valueRange }
            let options = CompileOptions(
                threads: threads, precision: precision, activationMaxima: calibration?.calibration.maxima ?? [:],
                inputRanges: inputRanges)
            let native = try CompiledModel(graph: model.graph, options: options)
            // UltraFace is the one family today; another would be told apart here by its graph.
            let ultraFace = try UltraFaceModel(graph: model.graph, compiled: native)
            switch inputSize {
            case .model:
                (compiled, family) = (native, ultraFace)
            case .fixed(let width, let height)
            where width == ultraFace.layout.inputWidth && height == ultraFace.layout.inputHeight:
                (compiled, family) = (native, ultraFace)
            case .fixed(let width, let height):
                let sized = try UltraFaceModel.sized(model.graph, width: width, height: height, options: options)
                (compiled, family) = (sized.compiled, sized)
            case .auto:
                (compiled, family) = (
                    native, AutoSizedUltraFace(graph: model.graph, native: ultraFace, options: options)
                )
            }
        } catch {
            throw FaceStreamError(
                .badModel, "model \(path): \(error); expected an UltraFace .onnx file (\(ModelLocator.fetchHint))")
        }
        if tiles != .off { family = TiledDetectorModel(base: family, request: tiles) }
        let compiledAt = clock.now
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return LoadedModel(
            name: name, path: path, compiled: compiled, family: family,
            loadMilliseconds: Self.milliseconds(loaded - start),
            compileMilliseconds: Self.milliseconds(compiledAt - loaded), precision: precision,
            calibration: calibration?.source)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        duration.inMilliseconds
    }
}
