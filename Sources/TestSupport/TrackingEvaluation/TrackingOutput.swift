import Foundation

/// The lines `facestream detect --events` wrote for a clip, read back for evaluation: frame lines
/// (reported boxes and their track ids) and event lines, in output order.
public struct TrackingOutput: Sendable {
    /// One reported face.
    public struct Face: Sendable {
        public var box: TruthBox
        public var track: Int?
    }

    /// One line of the output.
    public enum Line: Sendable {
        case frame(index: Int, faces: [Face])
        case event(kind: String, track: Int, frame: Int)
    }

    public var lines: [Line]

    /// Parses the JSON lines in `text`; throws on a line that is neither a frame nor an event.
    public init(_ text: String) throws {
        lines = try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let frame = object["frame"] as? Int
            else { throw ParseFailure(line: String(line)) }
            if let kind = object["event"] as? String {
                guard let track = object["track"] as? Int else { throw ParseFailure(line: String(line)) }
                return .event(kind: kind, track: track, frame: frame)
            }
            let faces = try (object["faces"] as? [[String: Any]] ?? []).map { face in
                guard let box = face["box"] as? [Double], box.count == 4 else { throw ParseFailure(line: String(line)) }
                return Face(
                    box: TruthBox(x1: box[0], y1: box[1], x2: box[2], y2: box[3]), track: face["track"] as? Int)
            }
            return .frame(index: frame, faces: faces)
        }
    }

    /// A line that is not what `detect --events` writes.
    public struct ParseFailure: Error, CustomStringConvertible {
        public var line: String
        public var description: String { "not a frame or event line: \(line.prefix(200))" }
    }

    /// The frame lines by frame index.
    public var frames: [Int: [Face]] {
        var result: [Int: [Face]] = [:]
        for case .frame(let index, let faces) in lines { result[index] = faces }
        return result
    }
}
