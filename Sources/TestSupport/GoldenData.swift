import Foundation

/// Typed access to the golden reference data (`shared/golden/manifest.json` and the detections JSON).
///
/// Key names follow the files (snake_case, mapped by `CodingKeys`). Paths inside the manifest are
/// relative to `SharedData.golden` (the image paths to `SharedData.root`); `url(_:)` resolves them.
public struct GoldenManifest: Decodable, Sendable {
    /// One input tensor's identity: shape, SHA-256 of its float32 bytes, float64 sum, stored file if any.
    public struct InputTensor: Decodable, Sendable {
        public var shape: [Int]
        public var sha256: String
        public var sum: Double
        /// Relative to `SharedData.golden`; nil when the tensor is not stored.
        public var path: String?
    }

    /// A stored output tensor (`scores` or `boxes`).
    public struct OutputTensor: Decodable, Sendable {
        public var path: String
        public var shape: [Int]
        public var sha256: String
    }

    /// One photo.
    public struct Image: Decodable, Sendable {
        /// Relative to `SharedData.root`, e.g. `images/imgs/1.jpg`.
        public var path: String
        public var sha256: String
        public var width: Int
        public var height: Int
        /// SHA-256 of the decoded HxWx3 RGB bytes (OpenCV's imread, BGR->RGB).
        public var decodedRGBSHA256: String
        /// Network inputs keyed by `"WxH"`, e.g. `"320x240"`.
        public var inputs: [String: InputTensor]

        enum CodingKeys: String, CodingKey {
            case path, sha256, width, height, inputs
            case decodedRGBSHA256 = "decoded_rgb_sha256"
        }
    }

    /// One model file and what its outputs mean.
    public struct Model: Decodable, Sendable {
        /// Relative to `SharedData.root`, e.g. `models/version-RFB-320.onnx`.
        public var file: String
        public var inputName: String
        public var inputShape: [Int]
        /// `"corners"` (decoded inside the graph) or `"offsets"` (raw SSD regression).
        public var boxesOutput: String
        public var labels: [String]
        /// Relative to `SharedData.golden`.
        public var priors: String

        enum CodingKeys: String, CodingKey {
            case file, labels, priors
            case inputName = "input_name"
            case inputShape = "input_shape"
            case boxesOutput = "boxes_output"
        }

        /// Input width in pixels (last dimension of the NCHW shape).
        public var inputWidth: Int { inputShape[3] }
        /// Input height in pixels.
        public var inputHeight: Int { inputShape[2] }
        /// File name of the model, e.g. `version-RFB-320.onnx`.
        public var fileName: String { String(file.split(separator: "/").last ?? "") }
    }

    /// A stored priors file.
    public struct Priors: Decodable, Sendable {
        public var path: String
        public var shape: [Int]
    }

    /// Raw network outputs of one case.
    public struct Outputs: Decodable, Sendable {
        public var scores: OutputTensor
        public var boxes: OutputTensor
    }

    /// One image x model pair.
    public struct Case: Decodable, Sendable {
        public var image: String
        public var model: String
        /// Detections JSON, relative to `SharedData.golden`.
        public var detections: String
        public var input: InputTensor
        /// Raw outputs, only for the stored subset.
        public var outputs: Outputs?
    }

    public var images: [String: Image]
    public var models: [String: Model]
    /// Keyed by `"WxH"`.
    public var priors: [String: Priors]
    public var thresholds: [Double]
    public var cases: [Case]

    /// Loads `SharedData.golden/manifest.json`.
    public static func load() throws -> GoldenManifest {
        let data = try Data(contentsOf: SharedData.golden.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode(GoldenManifest.self, from: data)
    }

    /// Image ids sorted for stable test order.
    public var imageIDs: [String] { images.keys.sorted() }

    /// Resolves a path relative to `SharedData.golden`.
    public static func url(_ relativePath: String) -> URL { SharedData.golden.appendingPathComponent(relativePath) }
}

/// One detections file: `golden/detections/MODEL/IMAGE.json`.
public struct GoldenDetections: Decodable, Sendable {
    /// One detection as the reference wrote it (float32 values written exactly as doubles).
    public struct Detection: Decodable, Sendable {
        public var label: Int
        public var labelName: String
        public var score: Double
        /// Pixels of the original image: x1, y1, x2, y2.
        public var box: [Double]
        /// Normalised corners.
        public var boxNormalized: [Double]
        public var priorIndex: Int

        enum CodingKeys: String, CodingKey {
            case label, score, box
            case labelName = "label_name"
            case boxNormalized = "box_normalized"
            case priorIndex = "prior_index"
        }
    }

    /// Margins that show where float noise could legitimately change the result.
    public struct Stats: Decodable, Sendable {
        public var tiesInCandidates: Int
        public var minScoreMargin: Double?
        public var minIOUMargin: Double?
        public var candidateCutMargin: Double?

        enum CodingKeys: String, CodingKey {
            case tiesInCandidates = "ties_in_candidates"
            case minScoreMargin = "min_score_margin"
            case minIOUMargin = "min_iou_margin"
            case candidateCutMargin = "candidate_cut_margin"
        }

        /// The smallest of the three margins (nil ones ignored), or infinity.
        public var smallestMargin: Double {
            [minScoreMargin, minIOUMargin, candidateCutMargin].compactMap { $0 }.min() ?? .infinity
        }
    }

    /// The detections at one score threshold.
    public struct Result: Decodable, Sendable {
        public var scoreThreshold: Double
        public var iouThreshold: Double
        public var candidateSize: Int
        public var numDetections: Int
        public var stats: Stats
        public var detections: [Detection]

        enum CodingKeys: String, CodingKey {
            case stats, detections
            case scoreThreshold = "score_threshold"
            case iouThreshold = "iou_threshold"
            case candidateSize = "candidate_size"
            case numDetections = "num_detections"
        }
    }

    public var imageID: String
    public var imageWidth: Int
    public var imageHeight: Int
    public var model: String
    public var inputWidth: Int
    public var inputHeight: Int
    public var labels: [String]
    public var results: [Result]

    enum CodingKeys: String, CodingKey {
        case model, labels, results
        case imageID = "image_id"
        case imageWidth = "image_width"
        case imageHeight = "image_height"
        case inputWidth = "input_width"
        case inputHeight = "input_height"
    }

    /// Loads a detections file by its manifest path (relative to `SharedData.golden`).
    public static func load(_ relativePath: String) throws -> GoldenDetections {
        let data = try Data(contentsOf: GoldenManifest.url(relativePath))
        return try JSONDecoder().decode(GoldenDetections.self, from: data)
    }
}
