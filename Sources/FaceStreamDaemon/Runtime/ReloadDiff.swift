/// What a reload does to the streams, by name: a pure comparison of the running plans with the
/// new configuration's.
struct ReloadDiff: Sendable, Equatable {
    /// Same plan: left running (only its output is reopened). In the new configuration's order.
    var kept: [String] = []
    /// Plan changed: stopped, then started again with the new plan. In the new configuration's order.
    var restarted: [String] = []
    /// New names: started. In the new configuration's order.
    var added: [String] = []
    /// Names no longer configured: stopped. In the running order.
    var removed: [String] = []

    /// The diff from the `running` plans to the `next` ones (names are unique in each).
    init(running: [StreamPlan], next: [StreamPlan]) {
        let before = Dictionary(running.map { ($0.name, $0) }) { first, _ in first }
        let after = Set(next.map(\.name))
        for plan in next {
            switch before[plan.name] {
            case nil: added.append(plan.name)
            case plan: kept.append(plan.name)
            default: restarted.append(plan.name)
            }
        }
        removed = running.map(\.name).filter { !after.contains($0) }
    }

    /// A diff given its parts (tests).
    init(kept: [String] = [], restarted: [String] = [], added: [String] = [], removed: [String] = []) {
        self.kept = kept
        self.restarted = restarted
        self.added = added
        self.removed = removed
    }
}
