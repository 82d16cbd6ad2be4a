import DetectionSinks
import Foundation
import Testing

@Suite struct JSONLinesWriterTests {
    @Test func writesOneCompleteLinePerRecordToAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jsonl-\(UUID().uuidString).jsonl")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try JSONLinesWriter.file(atPath: path)
        for frame in 0..<3 {
            try writer.write(
                DetectionRecord(
                    source: "x", frame: frame, pts: Double(frame) / 25, width: 2, height: 2, model: "m", faces: []))
            // Nothing is buffered: the line is in the file as soon as write returns.
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.split(separator: "\n").count == frame + 1)
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let frames = try lines.map { try JSONDecoder().decode(DetectionRecord.self, from: Data($0.utf8)).frame }
        #expect(frames == [0, 1, 2])
    }

    @Test func unwritableDestinationThrowsNamingThePath() {
        #expect {
            try JSONLinesWriter.file(atPath: "/nonexistent-dir/out.jsonl")
        } throws: { error in
            "\(error)".contains("/nonexistent-dir/out.jsonl") && "\(error)".contains("No such file")
        }
    }
}
