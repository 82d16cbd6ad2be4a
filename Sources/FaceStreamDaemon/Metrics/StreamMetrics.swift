import Prometheus

/// One stream's collectors in the daemon's registry, all labelled `stream="NAME"`: the counter
/// and gauge families mirror the stream's snapshot at each scrape; the latency histogram is fed
/// per analysed frame by the stream itself.
struct StreamMetrics: Sendable {
    /// A counter or gauge family read from a snapshot, named `facestream_METRIC_UNIT`.
    struct Family: Sendable {
        let metric: String
        let unit: String
        let help: String
        let isCounter: Bool
        let value: @Sendable (StreamSnapshot) -> Int

        var descriptor: MetricNameDescriptor {
            MetricNameDescriptor(namespace: "facestream", metricName: metric, unitName: unit, helpText: help)
        }
    }

    /// Every family but the state set and the histogram.
    static let families: [Family] = [
        Family(metric: "frames_in", unit: "total", help: "Frames read from the source.", isCounter: true) {
            $0.framesIn
        },
        Family(metric: "frames_analysed", unit: "total", help: "Frames analysed by the detector.", isCounter: true) {
            $0.framesAnalyzed
        },
        Family(
            metric: "frames_dropped", unit: "total", help: "Frames dropped because analysis fell behind a live source.",
            isCounter: true
        ) { $0.framesDropped },
        Family(metric: "faces", unit: "total", help: "Faces found.", isCounter: true) { $0.faces },
        Family(
            metric: "reconnects", unit: "total", help: "Times the source was opened again after a loss.",
            isCounter: true
        ) { $0.reconnects },
        Family(
            metric: "queue_depth", unit: "", help: "Frames inside the pipeline (read, not yet written or dropped).",
            isCounter: false
        ) { $0.queueDepth },
        Family(metric: "tracks_active", unit: "", help: "Confirmed face tracks open now.", isCounter: false) {
            $0.activeTracks
        },
    ]

    /// `facestream_events_total{stream,type}`: track events by type.
    static var eventsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "facestream", metricName: "events", unitName: "total",
            helpText: "Track events (a face appeared, a face left).")
    }

    /// `facestream_snapshots_total{stream,result}`: track snapshots by result (written, dropped
    /// because the queue was full, failed to write).
    static var snapshotsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "facestream", metricName: "snapshots", unitName: "total",
            helpText: "Track snapshots: written, dropped (queue full), failed (write error).")
    }
    static let snapshotResults = ["written", "dropped", "failed"]
    /// `facestream_webhook_deliveries_total{stream,result}`: webhook events by what became of them.
    static var webhookDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "facestream", metricName: "webhook_deliveries", unitName: "total",
            helpText:
                "Webhook events: sent (2xx), failed (given up after retries), dropped (queue full or left at the end).")
    }
    /// The `result` labels of `webhookDescriptor`, in `webhook`'s order.
    static let webhookResults = ["sent", "failed", "dropped"]

    /// `facestream_source_state{stream,state}`: 1 for the stream's current state, 0 for the others.
    static var stateDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "facestream", metricName: "source_state", unitName: "",
            helpText: "Stream state: 1 for the current one.")
    }
    /// `facestream_detection_latency_seconds{stream}`.
    static var latencyDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "facestream", metricName: "detection_latency", unitName: "seconds",
            helpText: "Time the detector spent on one analysed frame.")
    }
    /// Upper bounds of the latency buckets (Prometheus `le`), ascending: 1 ms ... 1 s.
    static let latencyBuckets: [Duration] = [
        .microseconds(1000), .microseconds(2500), .microseconds(5000), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
    ]
    static let states: [StreamState] = [.starting, .running, .waiting, .finished, .failed, .stopped]

    let counters: [Counter?]
    let gauges: [Gauge?]
    let states: [Gauge]
    let latency: DurationHistogram
    /// `appeared` and `left`, in that order.
    let events: [Counter]
    /// `snapshotResults`, in that order.
    let snapshots: [Counter]
    /// `sent`, `failed` and `dropped`, in that order; empty for a stream without a webhook.
    let webhook: [Counter]

    /// Registers a fresh set of collectors for `stream` in `registry` (zeroed); the webhook
    /// counters only when the stream has a webhook.
    init(stream: String, webhook hasWebhook: Bool = false, registry: PrometheusCollectorRegistry) {
        let labels = [("stream", stream)]
        counters = Self.families.map {
            $0.isCounter ? registry.makeCounter(descriptor: $0.descriptor, labels: labels) : nil
        }
        gauges = Self.families.map {
            $0.isCounter ? nil : registry.makeGauge(descriptor: $0.descriptor, labels: labels)
        }
        latency = registry.makeDurationHistogram(
            descriptor: Self.latencyDescriptor, labels: labels, buckets: Self.latencyBuckets)
        states = Self.states.map {
            registry.makeGauge(descriptor: Self.stateDescriptor, labels: labels + [("state", $0.rawValue)])
        }
        events = ["appeared", "left"].map {
            registry.makeCounter(descriptor: Self.eventsDescriptor, labels: labels + [("type", $0)])
        }
        snapshots = Self.snapshotResults.map {
            registry.makeCounter(descriptor: Self.snapshotsDescriptor, labels: labels + [("result", $0)])
        }
        webhook =
            hasWebhook
            ? Self.webhookResults.map {
                registry.makeCounter(descriptor: Self.webhookDescriptor, labels: labels + [("result", $0)])
            } : []
    }

    /// Sets the counters and gauges to `snapshot`'s readings (a counter whose stream restarted
    /// goes down, which Prometheus reads as a counter reset).
    func mirror(_ snapshot: StreamSnapshot) {
        for (index, family) in Self.families.enumerated() {
            let value = family.value(snapshot)
            if let counter = counters[index] {
                counter.reset()
                counter.increment(by: Int64(value))
            }
            gauges[index]?.set(Int64(value))
        }
        for (state, gauge) in zip(Self.states, states) { gauge.set(Int64(snapshot.state == state ? 1 : 0)) }
        let snapshotCounts = [snapshot.snapshotsWritten, snapshot.snapshotsDropped, snapshot.snapshotsFailed]
        for (counter, value) in zip(events + snapshots, [snapshot.appeared, snapshot.left] + snapshotCounts) {
            counter.reset()
            counter.increment(by: Int64(value))
        }
        if let totals = snapshot.webhook {
            for (counter, value) in zip(webhook, [totals.sent, totals.failed, totals.dropped]) {
                counter.reset()
                counter.increment(by: Int64(value))
            }
        }
    }

    /// Removes every collector of the stream from `registry`.
    func unregister(from registry: PrometheusCollectorRegistry) {
        for counter in counters.compactMap({ $0 }) + events + snapshots + webhook {
            registry.unregisterCounter(counter)
        }
        for gauge in gauges.compactMap({ $0 }) + states { registry.unregisterGauge(gauge) }
        registry.unregisterDurationHistogram(latency)
    }
}
