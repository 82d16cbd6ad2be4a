import FaceDetection
import FaceStreamApp

/// Compiled models by file, thread count and input size: streams naming the same model share one
/// `LoadedModel` (each worker makes its own session from it). Used by startup and reloads
/// only, which never overlap (`ReloadService` waits for startup, the shutdown for a reload).
struct ModelCache {
    private let locator: ModelLocator
    private var models: [Key: LoadedModel] = [:]

    private struct Key: Hashable {
        let path: String
        let threads: Int
        let inputSize: String
        let tiles: String
        let precision: ModelPrecision
    }

    init(locator: ModelLocator) {
        self.locator = locator
    }

    /// The compiled model for `requested` (a path, a file name, or nil for the default), loading
    /// and compiling it on first use.
    mutating func model(
        _ requested: String?, threads: Int, inputSize: InputSizeRequest = .model, tiles: TileRequest = .off,
        precision: ModelPrecision = .float32
    ) throws(FaceStreamError) -> LoadedModel {
        let path: String
        do {
            path = try locator.locate(explicit: requested)
        } catch {
            throw FaceStreamError(.badConfig, error.description)
        }
        let key = Key(
            path: path, threads: threads, inputSize: inputSize.description, tiles: tiles.description,
            precision: precision)
        if let model = models[key] { return model }
        let model = try DetectorLoader(locator: locator).load(
            explicitPath: path, threads: threads, inputSize: inputSize, tiles: tiles, precision: precision)
        models[key] = model
        return model
    }

    /// Drops models no stream uses any more.
    mutating func keepOnly(_ used: [LoadedModel]) {
        let paths = Set(used.map(\.path))
        models = models.filter { paths.contains($0.key.path) }
    }

    /// Models held now.
    var count: Int { models.count }
}
