/// How snapshot files are named: `<source>-<track>-<frame>.jpg`, written first as
/// `.<source>-<track>-<frame>.jpg.tmp` in the same folder and renamed into place.
public struct SnapshotNaming: Sendable, Equatable {
    /// The source's part of every name: ASCII letters, digits, `-` and `_`.
    public let source: String

    /// Names for `source` (reduced with `StreamName.reduced` when it holds other characters).
    public init(source: String) {
        self.source = StreamName.reduced(source)
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
}
