import DetectionSinks
import Foundation
import Testing
import VideoCore

@Suite struct DetectionRecordTests {
    let record = DetectionRecord(
        source: "photos/a \"b\".jpg", frame: 0, pts: nil, width: 450, height: 344, model: "version-RFB-320",
        faces: [
            .init(box: [91.17445, 17.850749, 154.8358, 102.92312], score: 0.99999976, label: "face"),
            .init(box: [-1.5, 0, 450.25, 344], score: 0.71, label: "masked_face"),
        ])

    @Test func lineHasSchemaKeysInOrderAndEndsWithNewline() throws {
        let line = record.jsonLine()
        #expect(line.hasSuffix("}\n"))
        #expect(line.filter { $0 == "\n" }.count == 1)
        #expect(
            line.hasPrefix(
                #"{"v":1,"source":"photos/a \"b\".jpg","frame":0,"pts":null,"width":450,"height":344,"model":"version-RFB-320","faces":[{"box":["#
            ))
        let keys = ["\"v\"", "\"source\"", "\"frame\"", "\"pts\"", "\"width\"", "\"height\"", "\"model\"", "\"faces\""]
        let positions = try keys.map { try #require(line.range(of: $0)).lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func lineDecodesBackToTheSameRecordWithExactFloats() throws {
        let decoded = try JSONDecoder().decode(DetectionRecord.self, from: Data(record.jsonLine().utf8))
        #expect(decoded == record)
        // Shortest round-trip form: the float32 bits survive.
        #expect(decoded.faces[0].score.bitPattern == Float(0.99999976).bitPattern)
    }

    @Test func ptsAndControlCharactersAreValidJSON() throws {
        var withPTS = record
        withPTS.pts = 12.04
        withPTS.source = "tab\there\u{01}"
        let line = withPTS.jsonLine()
        withPTS.ts = "2026-11-29T04:31:07.215Z"
        let live = withPTS.jsonLine()
        #expect(live.contains(#""pts":12.04,"ts":"2026-11-29T04:31:07.215Z","width""#))
        withPTS.ts = nil
        #expect(line.contains(#""pts":12.04"#))
        #expect(line.contains(#""source":"tab\there\u0001""#))
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(object?["source"] as? String == "tab\there\u{01}")
    }

    @Test func faceFromDetectionKeepsCornerOrder() {
        let detection = Detection(
            box: BoundingBox(x1: 1, y1: 2, x2: 3, y2: 4), score: 0.5, classIndex: 1, label: "face")
        #expect(DetectionRecord.Face(detection) == .init(box: [1, 2, 3, 4], score: 0.5, label: "face"))
    }

    @Test func schemaFileListsEveryKeyTheWriterUses() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/facestream-record-v1.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let required = try #require(schema["required"] as? [String])
        #expect(required == DetectionRecord.CodingKeys.allKeys.filter { $0 != "ts" })
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(DetectionRecord.CodingKeys.allKeys))
    }
}

extension DetectionRecord.CodingKeys {
    static var allKeys: [String] {
        [Self.v, .source, .frame, .pts, .ts, .width, .height, .model, .faces].map(\.stringValue)
    }
}
