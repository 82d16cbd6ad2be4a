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
