/// One flat pass over TOML bytes that knows strings, comments, keys and brackets well enough to
/// find the first over-deep dotted key and the first over-deep nesting, and to count the
/// `[[stream]]` headers: no recursion, so it is safe on any input (`ConfigurationLimits`).
struct TOMLLexicalScan {
    /// Line of the first key or table name with more than `ConfigurationLimits.maximumKeyDepth` parts.
    private(set) var firstDeepKeyLine: Int?
    /// Line of the first array or inline table nested deeper than `ConfigurationLimits.maximumNesting`.
    private(set) var firstDeepNestingLine: Int?
    /// `[[stream]]` headers.
    private(set) var streamTables = 0

    init(_ bytes: [UInt8]) {
        let newline = UInt8(ascii: "\n")
        let quote = UInt8(ascii: "\"")
        let apostrophe = UInt8(ascii: "'")
        var index = 0
        var line = 1
        var depth = 0
        /// Whether the bytes since the start of the line (outside values) are a key or header.
        var inKey = true
        var keyParts = 1
        var headerStart: Int?

        /// Index after the string starting at `start`, counting the newlines inside.
        func skipString(from start: Int) -> Int {
            let delimiter = bytes[start]
            let multiline = start + 2 < bytes.count && bytes[start + 1] == delimiter && bytes[start + 2] == delimiter
            var position = start + (multiline ? 3 : 1)
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\\") && delimiter == quote {
                    position += 2
                    continue
                }
                if byte == newline {
                    if !multiline { return position }  // unterminated: the parser will say so
                    line += 1
                } else if byte == delimiter {
                    if !multiline { return position + 1 }
                    if position + 2 < bytes.count && bytes[position + 1] == delimiter
                        && bytes[position + 2] == delimiter
                    {
                        return position + 3
                    }
                }
                position += 1
            }
            return position
        }

        /// Counts a finished header line (`[[stream]]`, spaces allowed inside).
        func endHeader(at end: Int) {
            guard let start = headerStart else { return }
            let text = String(decoding: bytes[start..<end], as: UTF8.self).filter {
                $0 != " " && $0 != "\t" && $0 != "\r"
            }
            if text == "[[stream]]" { streamTables += 1 }
            headerStart = nil
        }
        /// Open arrays (`[`) and inline tables (`{`), innermost last.
        var open: [UInt8] = []

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case newline:
                line += 1
                endHeader(at: index)
                if open.isEmpty {
                    inKey = true
                    keyParts = 1
                }
                index += 1
            case UInt8(ascii: "#"):
                endHeader(at: index)
                while index < bytes.count && bytes[index] != newline { index += 1 }
            case quote, apostrophe:
                index = skipString(from: index)
            case UInt8(ascii: "="):
                inKey = false
                index += 1
            case UInt8(ascii: ","):
                // The next key of an inline table.
                if open.last == UInt8(ascii: "{") {
                    inKey = true
                    keyParts = 1
                }
                index += 1
            case UInt8(ascii: "."):
                if inKey {
                    keyParts += 1
                    if keyParts > ConfigurationLimits.maximumKeyDepth && firstDeepKeyLine == nil {
                        firstDeepKeyLine = line
                    }
                }
                index += 1
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                if inKey && byte == UInt8(ascii: "[") && open.isEmpty {
                    // A table header (`[a.b]`, `[[stream]]`): its dots are key parts; no nesting.
                    if headerStart == nil { headerStart = index }
                    index += 1
                    continue
                }
                open.append(byte)
                inKey = byte == UInt8(ascii: "{")  // an inline table starts with a key
                keyParts = 1
                if open.count > ConfigurationLimits.maximumNesting && firstDeepNestingLine == nil {
                    firstDeepNestingLine = line
                }
                index += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if headerStart == nil, !open.isEmpty { open.removeLast() }
                index += 1
            default:
                index += 1
            }
        }
        endHeader(at: bytes.count)
    }
}
