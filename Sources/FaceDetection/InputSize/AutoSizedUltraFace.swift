import NeuralEngine
import Synchronization
import VideoCore

/// An UltraFace model run at `InputSizeRequest.auto`: the network size follows each picture's
/// aspect ratio, so it is compiled lazily, once per network size met in a run (usually one), and
/// shared by every worker. Pictures whose size gives the model's own size use the model as loaded.
///
/// Thread-safe: the compiled models are immutable and the cache is behind a mutex (taken once per
/// frame for a dictionary look-up; compiling happens under it at most once per size).
public final class AutoSizedUltraFace: DetectorModel {
    /// The model at its own size, as loaded.
    public let native: UltraFaceModel
    private let graph: Graph
    private let options: CompileOptions
    private let cache = Mutex<[NetworkSize: Result<UltraFaceModel, FaceDetectionError>]>([:])

    /// Wraps the model loaded from `graph` (compiled as `native`); other sizes are compiled with `options`.
    public init(graph: Graph, native: UltraFaceModel, options: CompileOptions) {
        self.graph = graph
        self.native = native
        self.options = options
    }

    /// The model's own size (for messages and benchmarks).
    public var inputSize: (width: Int, height: Int) { native.inputSize }

    /// The resize of each picture to its own network size, run by the source.
    public var inputSampler: (any PictureSampler)? { AutoInputResizeSampler(model: native.inputSize) }

    /// A detector picking the network size from each picture's size.
    public func makeDetector(_ thresholds: DetectionThresholds) -> any FaceDetecting {
        AutoSizedFaceDetector(family: self, thresholds: thresholds)
    }

    /// The network size for a picture.
    func networkSize(source: (width: Int, height: Int)) -> NetworkSize {
        let size = InputSizeRequest.auto.networkSize(model: native.inputSize, source: source)
        return NetworkSize(width: size.width, height: size.height)
    }

    /// The model compiled for `size` (compiled on first use).
    public func model(for size: NetworkSize) throws(FaceDetectionError) -> UltraFaceModel {
        if size.width == native.layout.inputWidth, size.height == native.layout.inputHeight { return native }
        let result = cache.withLock { cache in
            if let known = cache[size] { return known }
            let made = Result { () throws(FaceDetectionError) in
                try UltraFaceModel.sized(graph, width: size.width, height: size.height, options: options)
            }
            cache[size] = made
            return made
        }
        return try result.get()
    }
}
