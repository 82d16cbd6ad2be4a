/// The name a stream goes by in topics and ids (MQTT topics, Home Assistant unique ids): ASCII
/// letters, digits, `-` and `_` only. The one place that reduces a name to those characters.
public enum StreamName {
    /// Longest name kept (longer names are cut): 64 characters.
    public static let maximumLength = 64

    /// `text` with every other character replaced by `_`, cut to `maximumLength`; `stream` when
    /// nothing is left.
    public static func reduced(_ text: String) -> String {
        let kept = String(
            text.prefix(maximumLength).map {
                ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" ? $0 : "_"
            })
        return kept.isEmpty ? "stream" : kept
    }

    /// The stream name of a `detect` input: a URL's host (`rtsp://cam-door.lan/live` ->
    /// `cam-door_lan`), a file's or device's name without extension (`/videos/door.mp4` ->
    /// `door`, `/dev/video0` -> `video0`), `stdin` for `-`; then reduced.
    public static func forInput(_ input: String) -> String {
        if input == "-" { return "stdin" }
        if let scheme = input.range(of: "://") {
            var authority = input[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                authority = authority[authority.index(after: authority.startIndex)..<close]
            } else if let colon = authority.lastIndex(of: ":") {
                authority = authority[..<colon]
            }
            return reduced(String(authority))
        }
        var name = Substring(input)
        while name.hasSuffix("/") { name = name.dropLast() }
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return reduced(String(name))
    }
}
