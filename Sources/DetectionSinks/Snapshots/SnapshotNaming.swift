/// How snapshot files are named: `<source>-<track>-<frame>.jpg`, written first as
/// `.<source>-<track>-<frame>.jpg.tmp` in the same folder and renamed into place.
public struct SnapshotNaming: Sendable, Equatable {
    /// The source's part of every name: ASCII letters, digits, `-` and `_`.
    public let source: String

    /// Names for `source` (reduced with `sourceName(_:)` when it holds other characters).
    public init(source: String) {
        self.source = Self.reduced(source)
    }

    /// The name of the snapshot of `track` taken from `frame`.
    public func fileName(track: Int, frame: Int) -> String {
        "\(source)-\(track)-\(frame).jpg"
    }

    /// The temporary name a file is written under before it is renamed to `name`.
    public static func temporaryName(for name: String) -> String { ".\(name).tmp" }

    /// Whether `name` is a snapshot of this source (`<source>-<digits>-<digits>.jpg`): the only
    /// files `--snapshot-keep` ever deletes.
    public func isSnapshot(_ name: String) -> Bool {
        guard name.hasPrefix(source + "-"), name.hasSuffix(".jpg") else { return false }
        let numbers = name.dropFirst(source.count + 1).dropLast(4).split(
            separator: "-", omittingEmptySubsequences: false)
        return numbers.count == 2 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// The source name of a `detect` input: the file name without its extension (a URL's last
    /// path part, a camera's device name; `stdin` for `-`), reduced to ASCII letters, digits,
    /// `-` and `_` (anything else becomes `_`).
    public static func sourceName(forInput input: String) -> String {
        if input == "-" { return "stdin" }
        var name = Substring(input)
        if let query = name.firstIndex(where: { $0 == "?" || $0 == "#" }), input.contains("://") {
            name = name[..<query]
        }
        while name.hasSuffix("/") { name = name.dropLast() }
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return reduced(String(name))
    }

    /// `text` with every character other than ASCII letters, digits, `-` and `_` replaced by `_`;
    /// `input` when nothing is left.
    static func reduced(_ text: String) -> String {
        let kept = String(
            text.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" ? $0 : "_" })
        return kept.isEmpty ? "input" : kept
    }
}
