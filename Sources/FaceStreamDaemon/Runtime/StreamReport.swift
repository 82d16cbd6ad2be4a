import FaceStreamApp
import Foundation

/// Rates between two readings of the streams' counters, for the STATUS line and the summary log.
struct StreamRates {
    private var previous: [String: (snapshot: StreamSnapshot, at: Duration)] = [:]

    /// Frames in and analysed per second since the last call, per stream name.
    mutating func update(_ snapshots: [StreamSnapshot], at now: Duration) -> [String: (input: Double, analyzed: Double)]
    {
        var rates: [String: (Double, Double)] = [:]
        var next: [String: (StreamSnapshot, Duration)] = [:]
        for snapshot in snapshots {
            var input = 0.0
            var analyzed = 0.0
            if let (before, then) = previous[snapshot.name] {
                let seconds =
                    Double((now - then).components.seconds) + Double((now - then).components.attoseconds) * 1e-18
                if seconds > 0 {
                    input = Double(max(0, snapshot.framesIn - before.framesIn)) / seconds
                    analyzed = Double(max(0, snapshot.framesAnalyzed - before.framesAnalyzed)) / seconds
                }
            }
            rates[snapshot.name] = (input, analyzed)
            next[snapshot.name] = (snapshot, now)
        }
        previous = next
        return rates
    }
}

/// Text forms of the streams' state: the systemd STATUS line and the periodic log lines.
enum StreamReport {
    /// `door: running 9.8 fps; yard: waiting`, one clause per stream.
    static func status(_ snapshots: [StreamSnapshot], rates: [String: (input: Double, analyzed: Double)]) -> String {
        if snapshots.isEmpty { return "no streams" }
        return snapshots.map { snapshot in
            let rate = rates[snapshot.name].map { String(format: " %.1f fps", $0.analyzed) } ?? ""
            return "\(snapshot.name): \(snapshot.state.rawValue)" + (snapshot.state == .running ? rate : "")
        }.joined(separator: "; ")
    }

    /// One summary log line for a stream.
    static func summary(_ snapshot: StreamSnapshot, rate: (input: Double, analyzed: Double)?) -> String {
        let rate = rate ?? (0, 0)
        let fps = String(format: "%.1f fps in, %.1f fps analysed", rate.input, rate.analyzed)
        return "stream \(snapshot.name): \(snapshot.state.rawValue), \(fps), \(snapshot.framesIn) frames, "
            + "\(snapshot.framesAnalyzed) analysed, \(snapshot.framesDropped) dropped, \(snapshot.faces) faces, "
            + "\(snapshot.reconnects) reconnects"
    }
}

/// Watchdog health: every stream is either not expected to produce frames right now (starting,
/// waiting for its source, finished, failed, stopped) or produced one within `stallLimit`.
struct ProgressMonitor {
    let stallLimit: Duration
    private var lastProgress: [String: (frames: Int, at: Duration)] = [:]

    init(stallLimit: Duration) {
        self.stallLimit = stallLimit
    }

    /// Records the readings and says whether the service is healthy at `now`.
    mutating func isHealthy(_ snapshots: [StreamSnapshot], at now: Duration) -> Bool {
        var healthy = true
        var next: [String: (Int, Duration)] = [:]
        for snapshot in snapshots {
            let last = lastProgress[snapshot.name]
            let progressed = last == nil || last!.frames != snapshot.framesIn
            let since = progressed || snapshot.state != .running ? now : last!.at
            next[snapshot.name] = (snapshot.framesIn, since)
            if snapshot.state == .running && now - since > stallLimit { healthy = false }
        }
        lastProgress = next
        return healthy
    }
}
