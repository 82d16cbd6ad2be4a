import Foundation
import ONNXImport
import TestSupport
import Testing

/// Broken protobuf encodings: each throws with the byte offset and the field being read.
@Suite struct WireFormatErrorTests {
    @Test func truncatedVarintNamesOffsetAndField() throws {
        // ir_version key, then a varint whose continuation bit promises a byte that never comes.
        let error = try #require(loadError([0x08, 0x80]))
        #expect(error.code == .truncated)
        #expect(error.byteOffset == 1)
        #expect(error.field == "ModelProto.ir_version")
        #expect(error.description == "truncated varint at byte 1 in ModelProto.ir_version")
    }

    @Test func varintLongerThan64BitsIsMalformed() throws {
        let error = try #require(loadError([0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01]))
        #expect(error.code == .malformed)
        #expect(error.byteOffset == 1)
    }

    @Test func groupWireTypeAndFieldNumberZeroAreMalformed() throws {
        #expect(loadError([0x0B, 0x0C])?.code == .malformed)  // field 1, start group
        #expect(loadError([0x00, 0x00])?.code == .malformed)  // field 0
        #expect(loadError([0x0E])?.code == .malformed)  // wire type 6
    }

    @Test func wrongWireTypeForKnownFieldIsMalformed() throws {
        var writer = ProtobufWriter()
        writer.string(1, "not a number")  // ir_version as bytes
        let error = try #require(loadError(writer.bytes))
        #expect(error.code == .malformed)
        #expect(error.field == "ModelProto.ir_version")
        #expect(error.byteOffset == 0)
    }

    @Test func lengthBeyondEndOfFileIsTruncation() throws {
        var writer = ProtobufWriter()
        writer.int(1, 7)
        writer.key(7, wireType: 2)
        writer.varint(1 << 40)  // absurd length of the graph
        let error = try #require(loadError(writer.bytes))
        #expect(error.code == .truncated)
        #expect(error.byteOffset == 3)
        #expect(error.field == "ModelProto.graph")
    }

    @Test func lengthBeyondEndOfEnclosingMessageIsMalformed() throws {
        var writer = ProtobufWriter()
        writer.message(7) { graph in
            graph.key(1, wireType: 2)
            graph.varint(50)  // node length runs past the graph
            graph.raw([0x0A, 0x01, 0x58])
        }
        writer.int(1, 7)
        writer.string(2, "padding so that the file goes on after the graph")
        let error = try #require(loadError(writer.bytes))
        #expect(error.code == .malformed)
        #expect(error.field == "GraphProto.node")
        #expect(error.byteOffset == 3)  // the length prefix, after the model's graph key, length and the node key
    }

    @Test func packedFloatsOfOddLengthAreMalformed() throws {
        var tensor = ProtobufWriter()
        tensor.packedInts(1, [1])
        tensor.int(2, 1)
        tensor.bytes(4, [0, 0, 0x80])
        tensor.string(8, "odd")
        var graph = ProtobufWriter()
        graph.bytes(5, tensor.bytes)
        var model = ProtobufWriter()
        model.bytes(7, graph.bytes)
        let error = try #require(loadError(model.bytes))
        #expect(error.code == .malformed)
        #expect(error.field == "TensorProto.float_data")
    }

    @Test func deeplyNestedUnknownFieldsAreSkippedWithoutRecursion() throws {
        var nested: [UInt8] = []
        for _ in 0..<5000 {
            var writer = ProtobufWriter()
            writer.bytes(99, nested)
            nested = writer.bytes
        }
        var model = TestModel.convolutionRelu.encoded
        model += nested
        #expect(loadError(model) == nil)
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        var writer = ProtobufWriter()
        writer.int(1000, -1)
        writer.key(1001, wireType: 1)
        writer.appendLittleEndian(UInt64(42))
        writer.key(1002, wireType: 5)
        writer.appendLittleEndian(UInt32(42))
        writer.string(1003, "extra")
        #expect(loadError(writer.bytes + TestModel.convolutionRelu.encoded) == nil)
    }

    @Test func fileErrorsCarryThePath() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/model.onnx")
        do {
            _ = try ONNXImporter.load(contentsOf: missing)
            Issue.record("loading a missing file succeeded")
        } catch {
            #expect(error.code == .unreadableFile)
            #expect(error.description.hasPrefix("/nonexistent/model.onnx: cannot read the model file"))
        }

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-import-\(UUID()).onnx")
        try Data(Array(TestModel.convolutionRelu.encoded.dropLast(3))).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try ONNXImporter.load(contentsOf: url)
            Issue.record("loading a truncated file succeeded")
        } catch {
            #expect(error.code == .truncated)
            #expect(error.file == url.path)
            #expect(error.description.hasPrefix("\(url.path): "))
        }
    }
}
