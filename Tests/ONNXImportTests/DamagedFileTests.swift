import Foundation
import NeuralEngine
import ONNXImport
import TestSupport
import Testing

/// Real model files cut short or with bytes overwritten: every variant must load or throw, never trap.
@Suite struct DamagedFileTests {
    static let modelBytes: [UInt8] = {
        guard let data = FileManager.default.contents(atPath: SharedData.model("version-RFB-320.onnx").path) else {
            return []
        }
        return [UInt8](data)
    }()

    @Test func truncatedFilesThrow() throws {
        let bytes = Self.modelBytes
        try #require(bytes.count > 1_000_000, "version-RFB-320.onnx is missing from \(SharedData.models.path)")
        // Every offset in the header and the first nodes, 200 offsets spread over the file, and the tail,
        // where the operator set import follows the graph.
        var cuts = Set(0..<512)
        cuts.formUnion((0..<200).map { bytes.count * $0 / 200 })
        cuts.formUnion((bytes.count - 64)..<bytes.count)

        var codes: [ONNXImportError.Code: Int] = [:]
        for cut in cuts.sorted() {
            do {
                let model = try ONNXImporter.load(bytes: Array(bytes[..<cut]))
                Issue.record("cut at \(cut) of \(bytes.count) bytes loaded \(model.graph.nodes.count) nodes")
            } catch {
                codes[error.code, default: 0] += 1
                if let offset = error.byteOffset { #expect(offset <= cut, "cut \(cut): \(error)") }
                if error.code != .truncated {
                    // Only cuts exactly between top-level fields leave a complete but partial model.
                    #expect(error.code == .malformed, "cut \(cut): \(error)")
                    #expect(error.byteOffset == nil, "cut \(cut): \(error)")
                }
            }
        }
        #expect(codes[.truncated, default: 0] >= cuts.count - 8, "\(codes)")
    }

    @Test func graphsCutShortWithConsistentLengthsThrowOrLoadConsistently() throws {
        let bytes = Self.modelBytes
        try #require(bytes.count > 1_000_000, "version-RFB-320.onnx is missing from \(SharedData.models.path)")
        let fields = TopLevelField.split(bytes)
        let graphIndex = try #require(fields.firstIndex { $0.number == 7 })
        let graph = fields[graphIndex].payload
        // The operator set import follows the graph, so the graph does not run to the end of the file.
        #expect(graphIndex < fields.count - 1)
        // The nodes come first in the graph, then the initializers, inputs and outputs.
        var cuts = Set((0..<150).map { graph.count * $0 / 150 })
        cuts.formUnion(0..<256)
        cuts.formUnion((graph.count - 256)...graph.count)
        var codes: [String: Int] = [:]
        for cut in cuts.sorted() {
            var writer = ProtobufWriter()
            writer.raw(fields[..<graphIndex].flatMap(\.encoded))
            writer.bytes(7, Array(graph.prefix(cut)))
            writer.raw(fields[(graphIndex + 1)...].flatMap(\.encoded))
            do {
                let model = try ONNXImporter.load(bytes: writer.bytes)
                // Only a cut between the graph's last fields (its outputs) leaves a complete graph with fewer outputs.
                codes["loaded", default: 0] += 1
                #expect(["scores", "boxes"].starts(with: model.graph.outputs), "cut \(cut): \(model.graph.outputs)")
                #expect(!model.graph.outputs.isEmpty)
                #expect(model.graph.nodes.count == 242)
            } catch {
                codes[error.code.rawValue, default: 0] += 1
                #expect(error.code == .malformed || error.code == .invalidGraph, "cut \(cut): \(error)")
            }
        }
        #expect((1...2).contains(codes["loaded", default: 0]), "\(codes)")
        #expect(codes[ONNXImportError.Code.invalidGraph.rawValue, default: 0] > 0, "\(codes)")
    }

    @Test func corruptedRealFilesLoadOrThrow() throws {
        let original = Self.modelBytes
        try #require(original.count > 1_000_000, "version-RFB-320.onnx is missing from \(SharedData.models.path)")
        var generator = SeededGenerator(seed: 0x0A11_CE55)
        var outcomes: [String: Int] = [:]
        var bytes = original
        for _ in 0..<300 {
            // Mostly the first 20 KB, where the model header and the nodes are; some anywhere.
            let mutations = Int.random(in: 1...6, using: &generator)
            var touched: [Int] = []
            for _ in 0..<mutations {
                let limit = Bool.random(using: &generator) ? 20_000 : bytes.count
                let position = Int.random(in: 0..<limit, using: &generator)
                touched.append(position)
                bytes[position] = Self.corrupted(bytes[position], using: &generator)
            }
            outcomes[Self.outcome(of: bytes), default: 0] += 1
            for position in touched { bytes[position] = original[position] }
        }
        // The generator is fixed, so these counts are too; both outcomes must occur.
        #expect(outcomes["loaded", default: 0] > 0, "\(outcomes)")
        #expect(outcomes.keys.contains { $0 != "loaded" }, "\(outcomes)")
    }

    @Test func everyByteOfASmallModelCorruptedLoadsOrThrows() throws {
        var source = TestModel.convolutionRelu
        source.nodes.append(
            TestNode(name: "softmax", opType: "Softmax", inputs: ["Y"], outputs: ["Z"], attributes: [.int("axis", 1)]))
        source.outputs = ["Z"]
        let original = source.encoded
        var failures = 0
        for position in original.indices {
            for value: UInt8 in [0x00, 0xFF, 0x80, 0x7F, original[position] ^ 0x01, original[position] ^ 0x08] {
                var bytes = original
                bytes[position] = value
                if loadError(bytes) != nil { failures += 1 }
            }
        }
        #expect(failures > 0)
    }

    @Test func randomBytesThrow() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            let count = Int.random(in: 0..<2048, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(loadError(bytes) != nil)
        }
    }

    private static func corrupted(_ byte: UInt8, using generator: inout SeededGenerator) -> UInt8 {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: byte ^ (1 << UInt8.random(in: 0..<8, using: &generator))
        case 1: 0xFF
        case 2: 0x00
        default: UInt8.random(in: 0...255, using: &generator)
        }
    }

    private static func outcome(of bytes: [UInt8]) -> String {
        do {
            _ = try ONNXImporter.load(bytes: bytes)
            return "loaded"
        } catch {
            return error.code.rawValue
        }
    }
}
