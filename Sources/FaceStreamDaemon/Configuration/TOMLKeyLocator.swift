import FaceStreamApp
import Foundation

/// Finds the line of a key in TOML text, because the parser reports positions only for syntax
/// errors. A light scan: table headers switch the context, `key = ...` lines are recorded under
/// their first dotted component. Multi-line values are not parsed; a key that cannot be found
/// gets no line.
struct TOMLKeyLocator {
    /// Where a key sits.
    enum Context: Hashable {
        /// Before any table header.
        case root
        /// Inside the n-th `[[stream]]` table (0-based).
        case stream(Int)
        /// Inside another table.
        case other
    }

    private var lines: [Context: [String: Int]] = [:]
    /// Line of each `[[stream]]` header, in order.
    private(set) var streamHeaderLines: [Int] = []

    init(text: String) {
        var context = Context.root
        var streamCount = 0
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                let name = Self.headerName(line.dropFirst(2))
                if name == "stream" {
                    streamHeaderLines.append(lineNumber)
                    context = .stream(streamCount)
                    streamCount += 1
                } else {
                    context = .other
                }
                record(name, lineNumber, in: .root)
            } else if line.hasPrefix("[") {
                record(Self.headerName(line.dropFirst()), lineNumber, in: .root)
                context = .other
            } else if let equals = line.firstIndex(of: "=") {
                record(Self.firstComponent(line[..<equals]), lineNumber, in: context)
            }
        }
    }

    /// The line of `key` in `context`, if seen.
    func line(of key: String, in context: Context) -> Int? {
        lines[context]?[key]
    }

    private mutating func record(_ key: String, _ line: Int, in context: Context) {
        if lines[context, default: [:]][key] == nil { lines[context, default: [:]][key] = line }
    }

    private static func headerName(_ text: Substring) -> String {
        let inside = text.prefix { $0 != "]" }
        return firstComponent(inside)
    }

    private static func firstComponent(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let quote = trimmed.first, quote == "\"" || quote == "'" {
            return String(trimmed.dropFirst().prefix { $0 != quote })
        }
        return String(trimmed.prefix { $0 != "." }).trimmingCharacters(in: .whitespaces)
    }
}
