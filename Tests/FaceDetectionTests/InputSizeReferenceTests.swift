import FaceDetection
import Foundation
import JPEGCodec
import NeuralEngine
import ONNXImport
import TestSupport
import Testing
import VideoCore

/// The networks run at other input sizes, against ONNX Runtime on a copy of the model with its
/// input resized (`Tests/References/input-size`, made by `scripts/make-input-size-reference`):
/// identical detections (prior, label, order; scores and boxes to float noise) at every size, for
/// a model without decoding, a simplified one and one with the decoding in its graph (RFB-640, cut
/// at its raw offsets).
@Suite(.serialized) struct InputSizeReferenceTests {
    /// One reference file: a model at one size on several photos.
    struct Reference: Decodable {
        struct Photo: Decodable {
            var image: String
            var imageWidth: Int
            var imageHeight: Int
            var results: [GoldenDetections.Result]
            enum CodingKeys: String, CodingKey {
                case image, results
                case imageWidth = "image_width"
                case imageHeight = "image_height"
            }
        }
        var model: String
        var modelFile: String
        var inputWidth: Int
        var inputHeight: Int
        var photos: [Photo]
        enum CodingKeys: String, CodingKey {
            case model, photos
            case modelFile = "model_file"
            case inputWidth = "input_width"
            case inputHeight = "input_height"
        }
    }

    static let folder = SharedData.repositoryRoot.appendingPathComponent("Tests/References/input-size")
    static let files: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }
        .sorted()

    @Test func referencesCoverSeveralSizesAndModels() throws {
        let references = try Self.files.map(Self.load)
        #expect(references.count >= 12)
        let sizes = Set(references.map { "\($0.inputWidth)x\($0.inputHeight)" })
        for size in ["320x180", "426x240", "640x360", "160x120", "1280x720", "240x320"] {
            #expect(sizes.contains(size))
        }
        #expect(Set(references.map(\.model)).count == 3)
    }

    @Test(arguments: files)
    func detectionsMatchOnnxRuntime(file: String) throws {
        let reference = try Self.load(file)
        let onnx = try ONNXImporter.load(contentsOf: SharedData.model(reference.modelFile))
        let model = try UltraFaceModel.sized(
            onnx.graph, width: reference.inputWidth, height: reference.inputHeight, options: CompileOptions())
        #expect(model.layout.inputWidth == reference.inputWidth && model.layout.inputHeight == reference.inputHeight)
        #expect(model.layout.boxEncoding == .offsets)
        for photo in reference.photos {
            let data = try Data(contentsOf: SharedData.images.appendingPathComponent(photo.image))
            let image = try JPEGDecoder.decode([UInt8](data))
            #expect(image.width == photo.imageWidth && image.height == photo.imageHeight)
            for result in photo.results {
                let detector = model.makeFaceDetector(
                    DetectionThresholds(score: Float(result.scoreThreshold), iou: Float(result.iouThreshold)))
                let found = try detector.detectWithPriors(in: .rgb(image))
                let context = "\(file) \(photo.image) @ \(result.scoreThreshold)"
                if EndToEndComparison.identical(
                    found, result.detections, imageWidth: image.width, imageHeight: image.height)
                {
                    continue
                }
                let margin = result.stats.smallestMargin
                if margin < 1e-5, EndToEndComparison.matchedByIoU(found, result.detections, minimum: 0.99) {
                    print("ACCEPTED by IoU >= 0.99 (reference margin \(margin)): \(context)")
                    continue
                }
                Issue.record("\(context): \(EndToEndComparison.explain(found, result.detections)) (margin \(margin))")
            }
        }
    }

    /// `auto` on a 16:9 picture runs at 426x240 (the reference above): the same detections as the
    /// fixed size, through the sampled path a video source uses and through the whole picture.
    @Test func autoFollowsTheAspectRatio() throws {
        let onnx = try ONNXImporter.load(contentsOf: SharedData.model("version-RFB-320.onnx"))
        let native = try CompiledModel(graph: onnx.graph)
        let family = AutoSizedUltraFace(
            graph: onnx.graph, native: try UltraFaceModel(graph: onnx.graph, compiled: native),
            options: CompileOptions())
        let data = try Data(contentsOf: SharedData.images.appendingPathComponent("imgs/1.jpg"))
        let photo = try JPEGDecoder.decode([UInt8](data))
        let wide = try Self.crop(photo, width: photo.width, height: photo.width * 9 / 16)
        let thresholds = DetectionThresholds(score: 0.7, iou: 0.3)
        let fixed = try UltraFaceModel.sized(onnx.graph, width: 426, height: 240, options: CompileOptions())
        let expected = try fixed.makeFaceDetector(thresholds).detect(in: .rgb(wide))
        #expect(expected.count > 5)
        let detector = family.makeDetector(thresholds)
        #expect(try detector.detect(in: .rgb(wide)) == expected)
        let sampler = try #require(family.inputSampler)
        let grid = sampler.grid(width: wide.width, height: wide.height)
        var reduction = try #require(sampler.makeReduction(for: grid))
        let samples = Self.samples(of: wide, grid: grid)
        let reduced = SampledPicture(grid: grid, reducedPixels: reduction.reduce(samples))
        #expect(reduced.pixels.width == 426 && reduced.pixels.height == 240)
        #expect(try detector.detect(in: .sampled(reduced)) == expected)
        // A 4:3 picture runs the model as loaded.
        #expect(try family.model(for: NetworkSize(width: 320, height: 240)).compiled === native)
    }

    @Test func autoSizes() {
        let model = (width: 320, height: 240)
        func auto(_ width: Int, _ height: Int) -> String {
            let size = InputSizeRequest.auto.networkSize(model: model, source: (width, height))
            return "\(size.width)x\(size.height)"
        }
        #expect(auto(1920, 1080) == "426x240")
        #expect(auto(3840, 2160) == "426x240")
        #expect(auto(1080, 1920) == "240x426")
        #expect(auto(480, 640) == "240x320")
        #expect(auto(640, 480) == "320x240")
        #expect(auto(1000, 1000) == "240x240")
        #expect(auto(8000, 500) == "960x240")
        #expect(
            InputSizeRequest.auto.networkSize(model: (640, 480), source: (1280, 720)) == (854, 480))
    }

    @Test func parsing() throws {
        #expect(try InputSizeRequest(parsing: "426x240") == .fixed(width: 426, height: 240))
        #expect(try InputSizeRequest(parsing: "AUTO") == .auto)
        #expect(try InputSizeRequest(parsing: "model") == .model)
        for bad in ["", "426", "x240", "426x", "426x240x3", "-4x240", "16x240", "5000x240", "a x b", "426 x 240"] {
            #expect(throws: InputSizeRejection.self) { try InputSizeRequest(parsing: bad) }
        }
    }

    /// A graph whose box decoding is not the UltraFace one is refused at other sizes, naming the
    /// files that work.
    @Test func unrecognisedDecodingIsRefused() throws {
        let graph = Graph(
            inputs: [Graph.Input(name: "input", shape: [1, 3, 8, 8])], outputs: ["scores", "boxes"], constants: [:],
            nodes: [
                Graph.Node(name: "e", operation: .exp, inputs: ["input"], outputs: ["boxes"]),
                Graph.Node(name: "r", operation: .relu, inputs: ["input"], outputs: ["scores"]),
            ])
        let error = try #require(throws: FaceDetectionError.self) {
            try UltraFaceGraph.resized(graph, width: 64, height: 64)
        }
        #expect(error.message.contains("_without_postprocessing.onnx"))
    }

    static func load(_ file: String) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent(file)))
    }

    static func crop(_ image: RGBImage, width: Int, height: Int) throws -> RGBImage {
        var pixels: [UInt8] = []
        for row in 0..<height {
            let start = row * image.bytesPerRow
            pixels.append(contentsOf: image.pixels[start..<(start + width * 3)])
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func samples(of image: RGBImage, grid: SampleGrid) -> RGBImage {
        var pixels: [UInt8] = []
        for row in grid.rows {
            for column in grid.columns {
                let at = row * image.bytesPerRow + column * 3
                pixels.append(contentsOf: image.pixels[at..<(at + 3)])
            }
        }
        return RGBImage(width: grid.columns.count, height: grid.rows.count, pixels: pixels)
    }
}
