import Foundation

/// Text forms of the streams' state: the systemd STATUS line and the periodic log lines.
enum StreamReport {
    /// `door: running 9.8 fps; yard: waiting`, one clause per stream.
    static func status(_ snapshots: [StreamSnapshot], rates: [String: (input: Double, analyzed: Double)]) -> String {
        if snapshots.isEmpty { return "no streams" }
        return snapshots.map { snapshot in
            let rate = rates[snapshot.name].map { String(format: " %.1f fps", $0.analyzed) } ?? ""
            let tracks =
                snapshot.tracking ? ", \(snapshot.activeTracks) track\(snapshot.activeTracks == 1 ? "" : "s")" : ""
            return "\(snapshot.name): \(snapshot.state.rawValue)" + (snapshot.state == .running ? rate + tracks : "")
        }.joined(separator: "; ")
    }

    /// One summary log line for a stream, named by its name (never its source URL, which may carry
    /// credentials); without a rate (just started, or the final line) the rate is left out.
    static func summary(_ snapshot: StreamSnapshot, rate: (input: Double, analyzed: Double)?) -> String {
        let fps = rate.map { String(format: " %.1f fps in, %.1f fps analysed,", $0.input, $0.analyzed) } ?? ""
        return "stream \(snapshot.name): \(snapshot.state.rawValue),\(fps) \(snapshot.framesIn) frames, "
            + "\(snapshot.framesAnalyzed) analysed, \(snapshot.framesDropped) dropped, \(snapshot.faces) faces, "
            + "\(snapshot.reconnects) reconnects"
    }
}
