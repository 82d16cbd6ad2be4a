import MQTTClient
import Prometheus
import Synchronization

/// The daemon's Prometheus metrics: one `PrometheusCollectorRegistry` with a `StreamMetrics` set
/// per stream, made fresh when the stream (re)starts and removed when a reload drops it.
///
/// Called from startup and reloads (`start`, `remove`), the metrics thread (`exposition`) and
/// the streams' sink threads (their latency histograms, which the registry makes thread-safe).
final class DaemonMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let streams = Mutex<[String: StreamMetrics]>([:])
    private let mqtt = Mutex<MQTTMetrics?>(nil)

    init() {}

    /// A zeroed set for `stream`, replacing (and unregistering) an earlier one of that name;
    /// returns the latency histogram the stream feeds.
    /// `webhook` says whether the stream delivers to a webhook (its delivery counters are added).
    func start(stream: String, webhook: Bool = false) -> DurationHistogram {
        streams.withLock { streams in
            streams.removeValue(forKey: stream)?.unregister(from: registry)
            let fresh = StreamMetrics(stream: stream, webhook: webhook, registry: registry)
            streams[stream] = fresh
            return fresh.latency
        }
    }

    /// Removes the set of a stream that is no longer configured.
    func remove(stream: String) {
        streams.withLock { $0.removeValue(forKey: stream)?.unregister(from: registry) }
    }

    /// The text exposition format (version 0.0.4) after mirroring the streams' `snapshots` and
    /// the MQTT connection's statistics (its collectors appear once there is a connection).
    func exposition(_ snapshots: [StreamSnapshot], mqtt statistics: MQTTStatistics? = nil) -> String {
        let current = streams.withLock { $0 }
        for snapshot in snapshots { current[snapshot.name]?.mirror(snapshot) }
        if let statistics {
            mqtt.withLock { metrics in
                if metrics == nil { metrics = MQTTMetrics(registry: registry) }
                metrics?.mirror(statistics)
            }
        }
        return String(decoding: registry.emitToBuffer(), as: UTF8.self)
    }
}

extension Histogram where Value == Duration {
    /// Adds one measurement (the stream's `onAnalysis` callback; no allocation).
    func observe(_ duration: Duration) {
        record(duration)
    }
}
