import CoreSupport

/// Rates between two readings of the streams' counters, for the STATUS line and the summary log.
struct StreamRates {
    private var previous: [String: (snapshot: StreamSnapshot, at: Duration)] = [:]

    /// Frames in and analysed per second since the last call, per stream name; a stream seen for
    /// the first time (just started) has no rate yet and is left out.
    mutating func update(_ snapshots: [StreamSnapshot], at now: Duration) -> [String: (input: Double, analyzed: Double)]
    {
        var rates: [String: (Double, Double)] = [:]
        var next: [String: (StreamSnapshot, Duration)] = [:]
        for snapshot in snapshots {
            if let (before, then) = previous[snapshot.name] {
                let seconds = (now - then).inSeconds
                if seconds > 0 {
                    let input = Double(max(0, snapshot.framesIn - before.framesIn)) / seconds
                    let analyzed = Double(max(0, snapshot.framesAnalyzed - before.framesAnalyzed)) / seconds
                    rates[snapshot.name] = (input, analyzed)
                }
            }
            next[snapshot.name] = (snapshot, now)
        }
        previous = next
        return rates
    }
}
