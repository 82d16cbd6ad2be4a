import FaceStreamApp

/// The Prometheus text exposition format (version 0.0.4) of the streams' counters.
enum MetricsText {
    private struct Family: Sendable {
        let name: String
        let type: String
        let help: String
        let value: @Sendable (StreamSnapshot) -> Int
    }

    private static let families: [Family] = [
        Family(name: "facestream_frames_in_total", type: "counter", help: "Frames read from the source.") {
            $0.framesIn
        },
        Family(name: "facestream_frames_analysed_total", type: "counter", help: "Frames analysed by the detector.") {
            $0.framesAnalyzed
        },
        Family(
            name: "facestream_frames_dropped_total", type: "counter",
            help: "Frames dropped because analysis fell behind a live source."
        ) { $0.framesDropped },
        Family(name: "facestream_faces_total", type: "counter", help: "Faces found.") { $0.faces },
        Family(
            name: "facestream_reconnects_total", type: "counter",
            help: "Times the source was opened again after a loss."
        ) { $0.reconnects },
        Family(
            name: "facestream_queue_depth", type: "gauge",
            help: "Frames inside the pipeline (read, not yet written or dropped)."
        ) { $0.queueDepth },
    ]

    /// Every family for every stream, then the state set (`1` for the current state).
    static func render(_ snapshots: [StreamSnapshot]) -> String {
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for snapshot in snapshots {
                text += "\(family.name){stream=\"\(snapshot.name)\"} \(family.value(snapshot))\n"
            }
        }
        text += latencyHistogram(snapshots)
        text +=
            "# HELP facestream_source_state Stream state: 1 for the current one.\n# TYPE facestream_source_state gauge\n"
        let states: [StreamState] = [.starting, .running, .waiting, .finished, .failed, .stopped]
        for snapshot in snapshots {
            for state in states {
                text +=
                    "facestream_source_state{stream=\"\(snapshot.name)\",state=\"\(state.rawValue)\"} \(snapshot.state == state ? 1 : 0)\n"
            }
        }
        return text
    }

    /// `facestream_detection_latency_seconds`: cumulative `_bucket`s, `+Inf`, `_sum`, `_count`.
    private static func latencyHistogram(_ snapshots: [StreamSnapshot]) -> String {
        let name = "facestream_detection_latency_seconds"
        var text = "# HELP \(name) Time the detector spent on one analysed frame.\n# TYPE \(name) histogram\n"
        for snapshot in snapshots {
            let latency = snapshot.latency
            let stream = "stream=\"\(snapshot.name)\""
            for (bound, count) in zip(latency.bounds, latency.cumulativeCounts) {
                text += "\(name)_bucket{\(stream),le=\"\(bound)\"} \(count)\n"
            }
            text += "\(name)_bucket{\(stream),le=\"+Inf\"} \(latency.count)\n"
            text += "\(name)_sum{\(stream)} \(latency.sumSeconds)\n"
            text += "\(name)_count{\(stream)} \(latency.count)\n"
        }
        return text
    }
}
