import Foundation
import NeuralEngine
import NeuralKernels
import ONNXImport
import TestSupport
import Testing

@testable import FaceStreamApp

/// The int8 byte chain as the compiler builds it from the built-in calibrations: which layers
/// hand bytes to which, and what a calibration that does not fit does.
@Suite struct Int8ByteLinksTests {
    static func compile(_ fileName: String, maxima: [String: [Float]]) throws -> CompiledModel {
        let graph = try ONNXImporter.load(contentsOf: SharedData.model(fileName)).graph
        return try CompiledModel(
            graph: graph, options: CompileOptions(precision: .int8, activationMaxima: maxima))
    }

    static func builtIn(_ fileName: String) throws -> [String: [Float]] {
        let path = SharedData.model(fileName).path
        return try #require(try Int8Calibration.find(forModelAt: path, sha256: ModelCatalog.sha256(ofFileAt: path)))
            .calibration.maxima
    }

    /// The number of links per model, each with its producer writing bytes (an int8 convolution,
    /// or a Relu after an addition: "to bytes") and its readers (depthwise convolutions, and the
    /// 1x1 convolutions after them) taking them; none without the kernel. RFB: 24 links read by 28
    /// layers (three feature maps feed a body and two head depthwise convolutions each);
    /// slim-320: 11, its calibration dropping the heads' inputs and the depthwise outputs.
    @Test(arguments: [
        ("version-RFB-320.onnx", 24, 28), ("version-slim-320.onnx", 11, 11), ("version-RFB-640.onnx", 24, 28),
    ])
    func linksFollowTheCalibration(fileName: String, links: Int, readers: Int) throws {
        try #require(Precision.int8Kernels != nil, "no int8 kernels on this CPU")
        let model = try Self.compile(fileName, maxima: try Self.builtIn(fileName))
        let supported = Int8DepthwiseConvolution.isSupported
        #expect(model.summary.int8ByteLinks == (supported ? links : 0))
        #expect(
            model.stepDescriptions.count { $0.hasSuffix(" bytes out") || $0.hasSuffix(" to bytes") }
                == (supported ? links : 0))
        #expect(model.stepDescriptions.count { $0.contains(" bytes in") } == (supported ? readers : 0))
        // Some depthwise convolutions stay float32 (their step names the float kernels): RFB's
        // last feature map is read by a 1x1 too, and slim-320's heads keep float inputs.
        #expect(
            model.stepDescriptions.contains { $0.contains("epthwise3x3") && !$0.contains("int8-") })
        let plain = try Self.compile(fileName, maxima: [:])
        #expect(plain.summary.int8ByteLinks == 0)
        #expect(!plain.stepDescriptions.contains { $0.contains("bytes") })
        // Bytes take a quarter of the room of floats.
        if supported { #expect(model.summary.unplannedBytes < plain.summary.unplannedBytes) }
    }

    /// A calibration entry with the wrong number of channels is not used (that link, and the one
    /// out of the depthwise convolution it fed, which then reads floats), and an all-zero channel
    /// gets a small step rather than none.
    @Test func aCalibrationThatDoesNotFitIsSkipped() throws {
        try #require(Int8DepthwiseConvolution.isSupported && Precision.int8Kernels != nil)
        var maxima = try Self.builtIn("version-RFB-320.onnx")
        let model = try Self.compile("version-RFB-320.onnx", maxima: maxima)
        // "247" is the stem's ReLU output (16 channels), read by the first depthwise convolution.
        maxima["247"] = [Float](repeating: 1, count: 15)
        #expect(
            try Self.compile("version-RFB-320.onnx", maxima: maxima).summary.int8ByteLinks == model.summary
                .int8ByteLinks - 2)
        maxima["247"] = [Float](repeating: 0, count: 16)
        let zeros = try Self.compile("version-RFB-320.onnx", maxima: maxima)
        #expect(zeros.summary.int8ByteLinks == model.summary.int8ByteLinks)
        let session = zeros.makeSession()
        let input = try SharedData.readFloats(SharedData.golden.appendingPathComponent("inputs/imgs_1.1x3x240x320.f32"))
        let outputs = try session.run(input: input)
        #expect(outputs.allSatisfy { ($0.floats ?? []).allSatisfy { $0.isFinite } })
    }

    /// The scores of the byte chain stay close to float32's on a golden input (the detections'
    /// agreement is `PrecisionCommandTests`').
    @Test func scoresStayCloseToFloat32() throws {
        try #require(Int8DepthwiseConvolution.isSupported && Precision.int8Kernels != nil)
        let graph = try ONNXImporter.load(contentsOf: SharedData.model("version-RFB-320.onnx")).graph
        let fp32 = try CompiledModel(graph: graph).makeSession()
        let chain = try Self.compile("version-RFB-320.onnx", maxima: try Self.builtIn("version-RFB-320.onnx"))
            .makeSession()
        let input = try SharedData.readFloats(SharedData.golden.appendingPathComponent("inputs/imgs_1.1x3x240x320.f32"))
        let a = try #require(try fp32.run(input: input)[0].floats)
        let b = try #require(try chain.run(input: input)[0].floats)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 0.1, "largest score difference \(worst)")
        #expect(worst > 0, "int8 is not float32")
    }
}
