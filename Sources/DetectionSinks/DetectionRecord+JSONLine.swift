extension DetectionRecord {
    /// The record as one line of JSON with a trailing newline, keys in schema order
    /// (`v, source, frame, pts, [ts,] width, height, model, faces`) and floats in their shortest
    /// round-trip form. The key spellings come from `CodingKeys`, so the writer and the
    /// `Codable` reader cannot disagree.
    public func jsonLine() -> String {
        var out = "{"
        out += Self.key(.v) + String(v)
        out += "," + Self.key(.source) + JSONText.string(source)
        out += "," + Self.key(.frame) + String(frame)
        out += "," + Self.key(.pts) + (pts.map(JSONText.number) ?? "null")
        if let ts { out += "," + Self.key(.ts) + JSONText.string(ts) }
        out += "," + Self.key(.width) + String(width)
        out += "," + Self.key(.height) + String(height)
        out += "," + Self.key(.model) + JSONText.string(model)
        out += "," + Self.key(.faces) + "["
        for (index, face) in faces.enumerated() {
            if index > 0 { out += "," }
            out +=
                "{" + Face.key(.box) + "["
                + face.box.map { JSONText.number(Double($0), shortest: $0) }.joined(separator: ",") + "]"
            out += "," + Face.key(.score) + JSONText.number(Double(face.score), shortest: face.score)
            out += "," + Face.key(.label) + JSONText.string(face.label)
            if let track = face.track { out += "," + Face.key(.track) + String(track) }
            out += "}"
        }
        out += "]}\n"
        return out
    }

    private static func key(_ key: CodingKeys) -> String { JSONText.string(key.stringValue) + ":" }
}

extension DetectionRecord.Face {
    fileprivate static func key(_ key: CodingKeys) -> String { JSONText.string(key.stringValue) + ":" }
}

/// Minimal JSON text helpers for the hand-ordered writer.
package enum JSONText {
    /// A JSON string literal with the required escapes (quotes, backslash, control characters).
    package static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON number; non-finite values (which JSON cannot hold) become null.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A float32 value written with the fewest digits that read back to the same Float.
    static func number(_ value: Double, shortest: Float) -> String {
        guard shortest.isFinite else { return "null" }
        if shortest == shortest.rounded(), abs(shortest) < 1e7 { return String(Int64(shortest)) }
        let text = String(shortest)
        // Swift writes e.g. "1e-05"; JSON accepts exponents, so the text is valid as it is.
        return text
    }
}
