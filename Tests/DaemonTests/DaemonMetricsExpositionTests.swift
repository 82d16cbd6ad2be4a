import Testing

@testable import FaceStreamDaemon

/// `DaemonMetrics`: the Prometheus exposition from swift-prometheus's registry: names, the
/// `stream` label, the latency buckets, and the sets of restarted and removed streams.
@Suite struct DaemonMetricsExpositionTests {
    private let latency = "facestream_detection_latency_seconds"

    private func lines(_ metrics: DaemonMetrics, _ snapshots: [StreamSnapshot]) -> [String] {
        metrics.exposition(snapshots).split(separator: "\n").map(String.init)
    }

    private func value(_ series: String, in lines: [String]) -> Double? {
        lines.first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    @Test func everyFamilyIsThereWithItsTypeAndTheStreamLabel() {
        let metrics = DaemonMetrics()
        _ = metrics.start(stream: "door")
        var door = StreamSnapshot(name: "door", state: .running)
        door.framesIn = 12
        door.framesAnalyzed = 10
        door.framesDropped = 2
        door.faces = 3
        door.reconnects = 1
        door.queueDepth = 4
        let text = lines(metrics, [door])
        for (name, type) in [
            ("facestream_frames_in_total", "counter"), ("facestream_frames_analysed_total", "counter"),
            ("facestream_frames_dropped_total", "counter"), ("facestream_faces_total", "counter"),
            ("facestream_reconnects_total", "counter"), ("facestream_queue_depth", "gauge"),
            ("facestream_source_state", "gauge"), (latency, "histogram"),
        ] {
            #expect(text.contains("# TYPE \(name) \(type)"), "\(name)")
            #expect(text.filter { $0.hasPrefix("# HELP \(name) ") }.count == 1, "\(name)")
        }
        #expect(text.contains("facestream_frames_in_total{stream=\"door\"} 12"))
        #expect(text.contains("facestream_frames_analysed_total{stream=\"door\"} 10"))
        #expect(text.contains("facestream_frames_dropped_total{stream=\"door\"} 2"))
        #expect(text.contains("facestream_faces_total{stream=\"door\"} 3"))
        #expect(text.contains("facestream_reconnects_total{stream=\"door\"} 1"))
        #expect(value("facestream_queue_depth{stream=\"door\"}", in: text) == 4)
        for state in StreamMetrics.states {
            let series = "facestream_source_state{stream=\"door\",state=\"\(state.rawValue)\"}"
            #expect(value(series, in: text) == (state == .running ? 1 : 0), "\(state)")
        }
    }

    @Test func theLatencyBucketsCountObservedDurations() {
        let metrics = DaemonMetrics()
        let histogram = metrics.start(stream: "door")
        let door = StreamSnapshot(name: "door", state: .running)
        let bucket = { (le: String, lines: [String]) in
            self.value("\(self.latency)_bucket{stream=\"door\",le=\"\(le)\"}", in: lines)
        }
        let before = lines(metrics, [door])
        let bounds = before.filter { $0.hasPrefix("\(latency)_bucket{") }.map { $0.split(separator: "\"")[3] }
        #expect(bounds == ["0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "+Inf"])
        #expect(bucket("0.025", before) == 0)
        for duration: Duration in [.milliseconds(3), .milliseconds(20), .milliseconds(20), .seconds(2)] {
            histogram.observe(duration)
        }
        let after = lines(metrics, [door])
        #expect(bucket("0.0025", after) == 0)
        #expect(bucket("0.005", after) == 1)
        #expect(bucket("0.025", after) == 3)
        #expect(bucket("1.0", after) == 3)
        #expect(bucket("+Inf", after) == 4)
        #expect(value("\(latency)_count{stream=\"door\"}", in: after) == 4)
        #expect(value("\(latency)_sum{stream=\"door\"}", in: after) == 2.043)
    }

    @Test func aRestartedStreamStartsFromZeroAndARemovedOneDisappears() {
        let metrics = DaemonMetrics()
        metrics.start(stream: "door").observe(.milliseconds(2))
        _ = metrics.start(stream: "yard")
        var door = StreamSnapshot(name: "door", state: .running)
        door.framesIn = 50
        let yard = StreamSnapshot(name: "yard", state: .waiting)
        #expect(lines(metrics, [door, yard]).contains("facestream_frames_in_total{stream=\"door\"} 50"))
        _ = metrics.start(stream: "door")
        door.framesIn = 5
        let restarted = lines(metrics, [door, yard])
        #expect(restarted.contains("facestream_frames_in_total{stream=\"door\"} 5"))
        #expect(value("\(latency)_count{stream=\"door\"}", in: restarted) == 0)
        metrics.remove(stream: "yard")
        let removed = lines(metrics, [door])
        #expect(!removed.contains { $0.contains("stream=\"yard\"") })
        #expect(removed.contains("facestream_frames_in_total{stream=\"door\"} 5"))
    }
}

/// The tracking metrics and the STATUS clause of a tracking stream.
@Suite struct TrackingMetricsTests {
    @Test func activeTracksAndEventsByType() {
        let metrics = DaemonMetrics()
        _ = metrics.start(stream: "door")
        var door = StreamSnapshot(name: "door", state: .running)
        door.tracking = true
        door.appeared = 5
        door.left = 3
        let text = metrics.exposition([door]).split(separator: "\n").map(String.init)
        #expect(text.contains("# TYPE facestream_events_total counter"))
        #expect(text.contains("facestream_events_total{stream=\"door\",type=\"appeared\"} 5"), "\(text)")
        #expect(text.contains("facestream_events_total{stream=\"door\",type=\"left\"} 3"))
        #expect(text.contains { $0.hasPrefix("facestream_tracks_active{stream=\"door\"} 2") })
        #expect(
            StreamReport.status([door], rates: ["door": (input: 10, analyzed: 9.84)])
                == "door: running 9.8 fps, 2 tracks")
        door.tracking = false
        #expect(StreamReport.status([door], rates: [:]) == "door: running")
    }

    @Test func snapshotsByResult() {
        let metrics = DaemonMetrics()
        _ = metrics.start(stream: "door")
        var door = StreamSnapshot(name: "door", state: .running)
        door.snapshotsWritten = 7
        door.snapshotsDropped = 2
        let text = metrics.exposition([door]).split(separator: "\n").map(String.init)
        #expect(text.contains("# TYPE facestream_snapshots_total counter"))
        #expect(text.contains("facestream_snapshots_total{stream=\"door\",result=\"written\"} 7"), "\(text)")
        #expect(text.contains("facestream_snapshots_total{stream=\"door\",result=\"dropped\"} 2"))
        #expect(text.contains("facestream_snapshots_total{stream=\"door\",result=\"failed\"} 0"))
    }
}
