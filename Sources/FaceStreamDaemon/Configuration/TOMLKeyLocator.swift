import FaceStreamApp
import Foundation

/// Finds the line of a key in TOML text, because the parser reports positions only for syntax
/// errors. A light scan: table headers switch the context, `key = ...` lines are recorded under
/// their first dotted component, lines inside multi-line strings are skipped, and a sub-table of
/// a stream (`[stream.extra]`) counts as a key of that stream. A key that cannot be found gets
/// no line.
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
        /// The delimiter of the multi-line string the scan is inside, if any.
        var openString: String?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            let wasInsideString = openString != nil
            openString = Self.multilineStringState(after: rawLine, open: openString)
            if wasInsideString || line.isEmpty || line.hasPrefix("#") { continue }
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
                let name = Self.headerName(line.dropFirst())
                if name == "stream", streamCount > 0 {
                    // `[stream.extra]`: a sub-table of the latest stream, reported as its key.
                    let inside = line.dropFirst().prefix { $0 != "]" }
                    let parts = inside.split(separator: ".", maxSplits: 1)
                    if parts.count == 2 {
                        record(Self.firstComponent(parts[1]), lineNumber, in: .stream(streamCount - 1))
                    }
                } else {
                    record(name, lineNumber, in: .root)
                }
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

    /// Whether a multi-line string is open after `line`, given the one open before it: each
    /// `\"\"\"` or `'''` outside the other kind opens or closes one.
    private static func multilineStringState(after line: Substring, open: String?) -> String? {
        var open = open
        var rest = line
        while !rest.isEmpty {
            if let delimiter = open {
                guard let range = rest.range(of: delimiter) else { return open }
                rest = rest[range.upperBound...]
                open = nil
            } else {
                let basic = rest.range(of: "\"\"\"")
                let literal = rest.range(of: "'''")
                guard let first = [basic, literal].compactMap({ $0 }).min(by: { $0.lowerBound < $1.lowerBound }) else {
                    return nil
                }
                if let hash = rest.firstIndex(of: "#"), hash < first.lowerBound { return nil }  // a comment
                open = String(rest[first])
                rest = rest[first.upperBound...]
            }
        }
        return open
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
