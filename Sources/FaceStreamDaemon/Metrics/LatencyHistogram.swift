import FaceStreamApp
import Synchronization

/// Per-stream histogram of detection latency (time `analyze` took per analysed frame), for the
/// Prometheus `facestream_detection_latency_seconds` family.
///
/// Fixed bucket bounds; `observe` takes a lock, finds the bucket by a short linear scan and adds
/// to counters stored in place: no allocation per frame. Called from the stream's sink thread,
/// read by the metrics thread.
final class LatencyHistogram: Sendable {
    /// Upper bounds in seconds (Prometheus `le`), ascending: 1 ms ... 1 s.
    static let defaultBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

    let bounds: [Double]
    private let state: Mutex<Counts>

    /// Per-bucket (not cumulative) counts; the last slot is above the highest bound.
    private struct Counts {
        var buckets: [Int]
        var sumSeconds = 0.0
        var count = 0
    }

    /// A histogram with `bounds` (seconds, ascending).
    init(bounds: [Double] = LatencyHistogram.defaultBounds) {
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "bounds must ascend: \(bounds)")
        self.bounds = bounds
        state = Mutex(Counts(buckets: Array(repeating: 0, count: bounds.count + 1)))
    }

    /// Adds one measurement.
    func observe(_ duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        var slot = 0
        while slot < bounds.count && seconds > bounds[slot] { slot += 1 }
        state.withLock {
            $0.buckets[slot] += 1
            $0.sumSeconds += seconds
            $0.count += 1
        }
    }

    /// The counts now, cumulative as Prometheus wants them.
    var snapshot: LatencyDistribution {
        let counts = state.withLock { $0 }
        var cumulative: [Int] = []
        cumulative.reserveCapacity(bounds.count)
        var running = 0
        for slot in 0..<bounds.count {
            running += counts.buckets[slot]
            cumulative.append(running)
        }
        return LatencyDistribution(
            bounds: bounds, cumulativeCounts: cumulative, count: counts.count, sumSeconds: counts.sumSeconds)
    }
}

/// A reading of a `LatencyHistogram`.
public struct LatencyDistribution: Sendable, Equatable {
    /// Upper bounds in seconds, ascending.
    public var bounds: [Double] = []
    /// Measurements at or below each bound (same length as `bounds`; never decreasing).
    public var cumulativeCounts: [Int] = []
    /// All measurements (the `+Inf` bucket).
    public var count = 0
    /// Sum of all measurements, in seconds.
    public var sumSeconds = 0.0

    /// An empty distribution.
    public init() {}

    init(bounds: [Double], cumulativeCounts: [Int], count: Int, sumSeconds: Double) {
        self.bounds = bounds
        self.cumulativeCounts = cumulativeCounts
        self.count = count
        self.sumSeconds = sumSeconds
    }
}
