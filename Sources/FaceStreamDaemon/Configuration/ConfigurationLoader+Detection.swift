import FaceDetection
import TOMLKit

extension ConfigurationLoader {
    /// `input_size` and `tiles`, checked by the same rules as `--input-size` and `--tiles`.
    static func readDetection(
        _ table: TOMLTable, into stream: inout StreamSettings, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) {
        if let text = reader.string("input_size", in: table, scope: scope), !text.isEmpty {
            do {
                stream.inputSize = try InputSizeRequest(parsing: text)
            } catch {
                reader.problem(
                    "input_size \(error.rule), got \"\(text)\"", key: "input_size", in: scope,
                    hint: "\"\" or \"model\" runs the model at its own size")
            }
        }
        if let text = reader.string("tiles", in: table, scope: scope), !text.isEmpty {
            do {
                stream.tiles = try TileRequest(parsing: text)
            } catch {
                reader.problem(
                    "tiles \(error.rule), got \"\(text)\"", key: "tiles", in: scope,
                    hint: "\"\" or \"off\" searches the whole frame only")
            }
        }
    }
}
