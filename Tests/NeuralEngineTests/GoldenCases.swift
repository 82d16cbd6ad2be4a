import Foundation
import TestSupport

/// The raw golden cases of `shared/golden/manifest.json`: per model, the images whose input and
/// ONNX Runtime outputs are stored.
struct GoldenCase: Sendable, CustomStringConvertible {
    var model: String
    var modelFile: URL
    var image: String
    /// nil when the manifest stores no input tensor for this case.
    var input: URL?
    var inputShape: [Int]
    /// Output name -> (file, shape).
    var outputs: [(name: String, file: URL, shape: [Int])]

    var description: String { "\(model)/\(image)" }

    /// All cases with stored outputs, grouped by model name in manifest order.
    static let byModel: [(model: String, cases: [GoldenCase])] = {
        let root = SharedData.golden
        guard let data = try? Data(contentsOf: root.appendingPathComponent("manifest.json")),
            let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let models = manifest["models"] as? [String: Any],
            let cases = manifest["cases"] as? [[String: Any]]
        else { return [] }
        var result: [(model: String, cases: [GoldenCase])] = []
        for entry in cases {
            guard let model = entry["model"] as? String, let image = entry["image"] as? String,
                let outputs = entry["outputs"] as? [String: Any],
                let info = models[model] as? [String: Any], let file = info["file"] as? String,
                let input = entry["input"] as? [String: Any], let inputShape = input["shape"] as? [Int]
            else { continue }
            let inputURL = (input["path"] as? String).map { root.appendingPathComponent($0) }
            var outputList: [(name: String, file: URL, shape: [Int])] = []
            for name in ["scores", "boxes"] {
                guard let output = outputs[name] as? [String: Any], let path = output["path"] as? String,
                    let shape = output["shape"] as? [Int]
                else { continue }
                outputList.append((name, root.appendingPathComponent(path), shape))
            }
            let golden = GoldenCase(
                model: model, modelFile: SharedData.root.appendingPathComponent(file), image: image, input: inputURL,
                inputShape: inputShape, outputs: outputList)
            if let index = result.firstIndex(where: { $0.model == model }) {
                result[index].cases.append(golden)
            } else {
                result.append((model, [golden]))
            }
        }
        return result
    }()

    static var modelNames: [String] { byModel.map(\.model) }
}
