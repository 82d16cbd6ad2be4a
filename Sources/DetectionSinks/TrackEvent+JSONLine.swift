import VideoCore

extension TrackEvent {
    /// The event as one JSON line (schema v1, docs/json-lines.md), with a trailing newline:
    /// `appeared` with the confirming sighting, `left` with the last one, the first and last
    /// times, the duration, the matched frames and the best sighting; `snapshot` is the path of
    /// the track's snapshot file, or null (no `--snapshots`, or the snapshot was dropped).
    public func jsonLine(source: String) -> String {
        var out = "{\"v\":1,\"event\":" + JSONText.string(kind.rawValue)
        out += ",\"source\":" + JSONText.string(source) + ",\"track\":" + String(track)
        out += ",\"frame\":" + String(latest.frame) + ",\"pts\":" + (latest.pts.map(JSONText.number) ?? "null")
        if let received = latest.receivedAt { out += ",\"ts\":" + JSONText.string(Timestamp.rfc3339(received)) }
        switch kind {
        case .appeared:
            out += ",\"box\":" + Self.box(latest.box) + ",\"score\":" + Self.score(latest.score)
        case .left:
            out += ",\"first_pts\":" + (first.pts.map(JSONText.number) ?? "null")
            out += ",\"last_pts\":" + (latest.pts.map(JSONText.number) ?? "null")
            let duration = first.pts.flatMap { start in latest.pts.map { $0 - start } }
            out += ",\"duration\":" + (duration.map(JSONText.number) ?? "null")
            out += ",\"frames\":" + String(frames)
            out +=
                ",\"best\":{\"frame\":" + String(best.frame) + ",\"pts\":" + (best.pts.map(JSONText.number) ?? "null")
            out += ",\"box\":" + Self.box(best.box) + ",\"score\":" + Self.score(best.score) + "}"
        }
        return out + ",\"snapshot\":" + (snapshot.map(JSONText.string) ?? "null") + "}\n"
    }

    private static func box(_ box: BoundingBox) -> String {
        "[" + [box.x1, box.y1, box.x2, box.y2].map { JSONText.number(Double($0), shortest: $0) }.joined(separator: ",")
            + "]"
    }

    private static func score(_ score: Float) -> String { JSONText.number(Double(score), shortest: score) }
}
