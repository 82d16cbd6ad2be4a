import ArgumentParser
import FaceDetection

/// `--input-size`: the size the network runs at, shared by `detect` and `bench`.
struct InputSizeOptions: ParsableArguments {
    @Option(
        name: .customLong("input-size"),
        help: ArgumentHelp(
            "Network input size: the model's own (default, reference-exact), WIDTHxHEIGHT (any size from 32 to 4096, e.g. 426x240), or auto (the video's aspect ratio at the model's shorter side: 426x240 for 16:9 with a 320x240 model).",
            valueName: "WxH|auto"))
    var inputSize: String?

    func validate() throws {
        _ = try request()
    }

    /// The parsed request (`.model` when not given).
    func request() throws -> InputSizeRequest {
        guard let inputSize else { return .model }
        do {
            return try InputSizeRequest(parsing: inputSize)
        } catch {
            throw ValidationError("--input-size \(error.rule), got \(inputSize)")
        }
    }
}

/// `--tiles`: overlapping tiles searched besides the whole frame (`detect` only).
struct TileOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also search overlapping tiles of large frames at the network's size, for small faces: N columns (rows follow the aspect ratio) or auto (about one network width per column: 6 x 5 for 1080p with a 320x240 model). Costs one network run per tile plus one (31 for 1080p auto).",
            valueName: "N|auto"))
    var tiles: String?

    func validate() throws {
        _ = try request()
    }

    /// The parsed request (`.off` when not given).
    func request() throws -> TileRequest {
        guard let tiles else { return .off }
        do {
            return try TileRequest(parsing: tiles)
        } catch {
            throw ValidationError("--tiles \(error.rule), got \(tiles)")
        }
    }
}
