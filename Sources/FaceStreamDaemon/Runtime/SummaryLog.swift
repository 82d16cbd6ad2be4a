/// The decisions of the periodic summary, as a value type driven with plain time readings: every
/// `status_interval`, one line per stream, except a stream that ended and has not changed since
/// its last line.
struct SummaryLog {
    private var rates = StreamRates()
    private var lastAt: Duration
    private var lastLogged: [String: StreamSnapshot] = [:]

    /// Starts the first interval at `now`, with the streams' `snapshots` as the rates' baseline.
    init(_ snapshots: [StreamSnapshot], at now: Duration) {
        lastAt = now
        _ = rates.update(snapshots, at: now)
    }

    /// The lines due at `now` (none before `interval` has passed since the last summary).
    mutating func lines(_ snapshots: [StreamSnapshot], at now: Duration, interval: Duration) -> [String] {
        guard now - lastAt >= interval else { return [] }
        let rates = rates.update(snapshots, at: now)
        var lines: [String] = []
        for snapshot in snapshots {
            let idle = [.finished, .failed, .stopped].contains(snapshot.state) && lastLogged[snapshot.name] == snapshot
            if !idle { lines.append(StreamReport.summary(snapshot, rate: rates[snapshot.name])) }
            lastLogged[snapshot.name] = snapshot
        }
        lastAt = now
        return lines
    }
}
