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
    /// Line of the first table header whose name starts with neither a bare-key character nor a
    /// quote (`[{a]`): TOMLKit's parser asserts on those and aborts the process instead of failing.
    private(set) var firstBadHeaderLine: Int?
    /// Line of the first date or time value (a `:` in a value, or `dddd-` starting one): no setting
    /// takes one, and TOMLKit's parser asserts (aborts) on some malformed ones (`1979-05-27T/7:32`).
    private(set) var firstDateTimeLine: Int?
    /// Line of the first `]` or `}` that closes nothing or the other kind (`[}]`): TOMLKit's
    /// parser asserts (aborts) on a `}` inside an array.
    private(set) var firstMismatchedCloseLine: Int?

    init(_ bytes: [UInt8]) {
        let newline = UInt8(ascii: "\n")
        let quote = UInt8(ascii: "\"")
        let apostrophe = UInt8(ascii: "'")
        var index = 0
        var line = 1
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

        /// Index of the first byte from `position` on that is not a space or tab.
        func skipBlanks(from position: Int) -> Int {
            var position = position
            while position < bytes.count
                && (bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t"))
            {
                position += 1
            }
            return position
        }

        /// Whether the header opened at `start` continues (after `[` or `[[` and blanks) with a
        /// name, a quote, or something the parser reports as an error of its own (`]`, `[ [`, the end).
        func headerNameStartsWell(_ start: Int) -> Bool {
            var position = skipBlanks(from: start + 1)
            if position < bytes.count && bytes[position] == UInt8(ascii: "[") {
                if position > start + 1 { return true }  // `[ [`: refused by the parser itself
                position = skipBlanks(from: position + 1)
            }
            guard position < bytes.count else { return true }
            switch bytes[position] {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), quote, apostrophe,
                UInt8(ascii: "]"):
                return true
            default:
                return false
            }
        }

        /// Whether the value byte at `index` belongs to a date or time literal.
        func isDateTimeByte(_ index: Int) -> Bool {
            let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
            if bytes[index] == UInt8(ascii: ":") { return true }
            guard bytes[index] == UInt8(ascii: "-"), index >= 4, bytes[(index - 4)..<index].allSatisfy(isDigit) else {
                return false
            }
            return index == 4 || !(isDigit(bytes[index - 5]) || bytes[index - 5] == UInt8(ascii: "_"))
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
                    if headerStart == nil {
                        headerStart = index
                        if !headerNameStartsWell(index) && firstBadHeaderLine == nil { firstBadHeaderLine = line }
                    }
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
                if headerStart == nil {
                    let opener = byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
                    if open.last != opener && firstMismatchedCloseLine == nil { firstMismatchedCloseLine = line }
                    if !open.isEmpty { open.removeLast() }
                }
                index += 1
            default:
                if !inKey && firstDateTimeLine == nil && isDateTimeByte(index) { firstDateTimeLine = line }
                index += 1
            }
        }
        endHeader(at: bytes.count)
    }
}
