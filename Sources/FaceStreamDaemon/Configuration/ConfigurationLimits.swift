/// What a configuration file may hold before the TOML parser sees it. The parser recurses on
/// dotted keys and nested arrays and tables, so a hostile file (150,000 dotted components, say)
/// would overflow its stack and kill the process, or a running daemon on SIGHUP. These limits are
/// far above any real configuration and are checked by a flat scan first.
public enum ConfigurationLimits {
    /// Largest configuration file: 1 MiB (a file with 64 streams is about 10 KiB).
    public static let maximumBytes = 1 << 20
    /// Longest line, in bytes.
    public static let maximumLineLength = 8192
    /// Most components of a dotted key or table name (`a.b.c` has 3).
    public static let maximumKeyDepth = 8
    /// Deepest nesting of arrays and inline tables.
    public static let maximumNesting = 8
    /// Most `[[stream]]` tables: each stream has its own threads and buffers.
    public static let maximumStreams = 64
    /// Problems reported at most from the scan (the rest would only repeat them).
    static let maximumProblems = 10

    /// The limits `text` breaks, each at its line; empty when the parser may read it.
    public static func problems(in text: String, file: String) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        func add(_ line: Int?, _ message: String, _ hint: String) {
            if problems.count < maximumProblems {
                problems.append(ConfigurationProblem(file: file, line: line, message: message, hint: hint))
            }
        }
        let bytes = Array(text.utf8)
        if bytes.count > maximumBytes {
            add(
                nil, "the file has \(bytes.count) bytes, more than the \(maximumBytes) a configuration may have",
                "a configuration is a few kilobytes; check that this is the right file")
            return problems
        }
        var lineStart = 0
        var lineNumber = 1
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") || index == bytes.count - 1 {
            let length = index - lineStart + (byte == UInt8(ascii: "\n") ? 0 : 1)
            if length > maximumLineLength {
                add(
                    lineNumber, "line of \(length) bytes, more than \(maximumLineLength)",
                    "split long values; no setting needs such a line")
            }
            lineStart = index + 1
            lineNumber += 1
        }
        let scan = TOMLLexicalScan(bytes)
        if let line = scan.firstDeepKeyLine {
            add(
                line, "a dotted key or table name with more than \(maximumKeyDepth) parts",
                "the settings are at most two levels deep ([[stream]] and its keys)")
        }
        if let line = scan.firstDeepNestingLine {
            add(
                line, "arrays or inline tables nested more than \(maximumNesting) deep",
                "no setting takes nested values")
        }
        if let line = scan.firstBadHeaderLine {
            add(
                line, "a table header that does not start with a name",
                "write a header as [name] or [[stream]], the name bare or in quotes")
        }
        if let line = scan.firstDateTimeLine {
            add(line, "a date or time value", "no setting takes a date or time; durations are seconds (a number)")
        }
        if let line = scan.firstMismatchedCloseLine {
            add(line, "a closing bracket or brace that matches no opening one", "check the [ ] and { } of this line")
        }
        if scan.streamTables > maximumStreams {
            add(
                nil, "\(scan.streamTables) [[stream]] tables, more than \(maximumStreams)",
                "run several facestream@NAME instances (one configuration each) for more cameras")
        }
        return problems
    }
}
