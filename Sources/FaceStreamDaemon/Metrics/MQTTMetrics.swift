import MQTTClient
import Prometheus

/// The MQTT connection's collectors (no labels: one connection per process), mirrored from its
/// statistics at each scrape: `facestream_mqtt_connected` (1 while the broker accepts the
/// connection), `facestream_mqtt_messages_sent_total`, `facestream_mqtt_messages_dropped_total`
/// (queue full, broker refused, unsent at exit) and `facestream_mqtt_queue_depth`.
struct MQTTMetrics: Sendable {
    let connected: Gauge
    let sent: Counter
    let dropped: Counter
    let queued: Gauge

    init(registry: PrometheusCollectorRegistry) {
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "facestream", metricName: metric, unitName: unit, helpText: help)
        }
        connected = registry.makeGauge(
            descriptor: name("mqtt_connected", "", "1 while connected to the MQTT broker, else 0."))
        sent = registry.makeCounter(
            descriptor: name("mqtt_messages_sent", "total", "MQTT messages the broker acknowledged."))
        dropped = registry.makeCounter(
            descriptor: name(
                "mqtt_messages_dropped", "total", "MQTT events dropped (queue full while the broker was away, refused)."
            ))
        queued = registry.makeGauge(descriptor: name("mqtt_queue_depth", "", "MQTT events waiting to be sent."))
    }

    /// Sets the collectors to `statistics`.
    func mirror(_ statistics: MQTTStatistics) {
        connected.set(Int64(statistics.connected ? 1 : 0))
        sent.reset()
        sent.increment(by: Int64(statistics.sent))
        dropped.reset()
        dropped.increment(by: Int64(statistics.dropped))
        queued.set(Int64(statistics.queued))
    }
}
