import Foundation
import NeuralEngine
import ONNXImport
import TestSupport
import Testing

@testable import FaceStreamApp

/// The int8 calibrations: the built-in table against the shipped models, and the sidecar file's
/// checks (each bad file is refused with its own reason).
@Suite struct Int8CalibrationTests {
    static let builtInModels = ["version-RFB-320.onnx", "version-slim-320.onnx", "version-RFB-640.onnx"]

    /// Every built-in calibration is found by its model's pinned SHA-256 and names that model's
    /// ReLU outputs (those the script did not drop; it drops only depthwise outputs), each with one
    /// value per channel of the convolution behind it.
    @Test(arguments: builtInModels)
    func builtInCalibrationFitsItsModel(fileName: String) throws {
        let path = SharedData.model(fileName).path
        let digest = try #require(ModelCatalog.entries.first { $0.fileName == fileName }?.sha256)
        #expect(ModelCatalog.sha256(ofFileAt: path) == digest)
        let found = try #require(try Int8Calibration.find(forModelAt: path, sha256: digest))
        #expect(found.source == .builtIn)
        #expect(found.calibration.photos == 24)
        let graph = try ONNXImporter.load(contentsOf: URL(fileURLWithPath: path)).graph
        var producer: [String: Graph.Node] = [:]
        for node in graph.nodes { for output in node.outputs { producer[output] = node } }
        let relus = graph.nodes.filter { if case .relu = $0.operation { true } else { false } }
        let names = Set(relus.map { $0.outputs[0] })
        let kept = Set(found.calibration.maxima.keys)
        #expect(kept.union(found.calibration.dropped) == names && kept.isDisjoint(with: found.calibration.dropped))
        for relu in relus where kept.contains(relu.outputs[0]) {
            // Back from the ReLU through BatchNorm and Add to the convolution that sets the channels.
            var node = relu
            while let previous = producer[node.inputs[0]] {
                node = previous
                if case .convolution = node.operation { break }
            }
            let weights = try #require(graph.constants[node.inputs[1]], "ReLU \(relu.outputs[0])")
            let values = try #require(found.calibration.maxima[relu.outputs[0]])
            #expect(values.count == weights.shape[0], "ReLU \(relu.outputs[0])")
            #expect(values.allSatisfy { $0 >= 0 && $0 < 1000 })
            #expect(values.contains { $0 > 0 })
        }
    }

    /// The other shipped files (simplified, without post-processing) have no built-in calibration.
    @Test func otherModelsHaveNone() throws {
        let path = SharedData.model("version-RFB-320_simplified.onnx").path
        #expect(try Int8Calibration.find(forModelAt: path, sha256: ModelCatalog.sha256(ofFileAt: path)) == nil)
        #expect(try Int8Calibration.find(forModelAt: path, sha256: nil) == nil)
    }

    @Test func sidecarPathIsBesideTheModel() {
        #expect(Int8Calibration.sidecarPath(forModelAt: "/m/version-RFB-320.onnx") == "/m/version-RFB-320.int8.json")
        #expect(Int8Calibration.sidecarPath(forModelAt: "rel/a.b.onnx").hasSuffix("rel/a.b.int8.json"))
    }

    static let digest = String(repeating: "ab", count: 32)

    static func text(_ tensors: String, digest: String = digest, version: String = "1") -> String {
        #"{"format":"facestream-int8-calibration","version":\#(version),"model_sha256":"\#(digest)","photos":3,"tensors":\#(tensors)}"#
    }

    @Test func aValidFileIsRead() throws {
        let calibration = try Int8Calibration(json: Data(Self.text(#"{"a":[1,2.5,0],"b":[7]}"#).utf8))
        #expect(calibration.maxima == ["a": [1, 2.5, 0], "b": [7]])
        #expect(calibration.photos == 3)
        #expect(calibration.modelSHA256 == Self.digest)
    }

    /// Each bad file fails with its own reason.
    @Test(arguments: [
        ("[1,2]", "not a FaceStream int8 calibration"),
        (text(#"{"a":[1]}"#, version: "2"), "version 2 is not 1"),
        (text(#"{"a":[1]}"#, digest: "ABC"), "64 lower-case hexadecimal"),
        (text("{}"), "1 to 4096"),
        (text(#"{"a":[]}"#), "tensor \"a\" must list"),
        (text(#"{"a":[1,-2]}"#), "below 0"),
        (text(#"{"a":[1e39]}"#), "too large"),
        (text(#"{"a":[true]}"#), "not a FaceStream int8 calibration"),
        (text(#"{"a":["1"]}"#), "not a FaceStream int8 calibration"),
        (#"{"format":"other","version":1,"model_sha256":"x","tensors":{}}"#, "not facestream-int8-calibration"),
    ])
    func badFilesAreRefused(text: String, reason: String) {
        #expect {
            _ = try Int8Calibration(json: Data(text.utf8))
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func tooManyTensorsOrValuesAreRefused() {
        let tensors = "{" + (0...Int8Calibration.maximumTensors).map { "\"t\($0)\":[1]" }.joined(separator: ",") + "}"
        #expect(throws: Int8Calibration.CalibrationError.self) {
            try Int8Calibration(json: Data(Self.text(tensors).utf8))
        }
        let values =
            "{\"a\":[" + Array(repeating: "1", count: Int8Calibration.maximumChannels + 1).joined(separator: ",") + "]}"
        #expect(throws: Int8Calibration.CalibrationError.self) {
            try Int8Calibration(json: Data(Self.text(values).utf8))
        }
        let big = Data(count: Int8Calibration.maximumFileBytes + 1)
        #expect { try Int8Calibration(json: big) } throws: { "\($0)".contains("larger than 4 MiB") }
    }
}
