import Testing

@testable import FaceStreamDaemon

@Suite struct LatencyHistogramTests {
    @Test func bucketsAreCumulativeAndBoundsInclusive() {
        let histogram = LatencyHistogram(bounds: [0.001, 0.01, 0.1])
        for duration: Duration in [
            .microseconds(500), .milliseconds(1), .milliseconds(3), .milliseconds(10), .seconds(2),
        ] {
            histogram.observe(duration)
        }
        let reading = histogram.snapshot
        // <= 1 ms: 0.5 ms and 1 ms; <= 10 ms: + 3 ms and 10 ms; <= 100 ms: the same; 2 s only in +Inf.
        #expect(reading.bounds == [0.001, 0.01, 0.1])
        #expect(reading.cumulativeCounts == [2, 4, 4])
        #expect(reading.count == 5)
        #expect(abs(reading.sumSeconds - 2.0145) < 1e-9)
    }

    @Test func theExpositionHasBucketsSumAndCount() {
        var snapshot = StreamSnapshot(name: "door", state: .running)
        let histogram = LatencyHistogram(bounds: [0.005, 0.05])
        histogram.observe(.milliseconds(20))
        snapshot.latency = histogram.snapshot
        let lines = MetricsText.render([snapshot]).split(separator: "\n").map(String.init)
        let name = "facestream_detection_latency_seconds"
        #expect(lines.contains("# TYPE \(name) histogram"))
        let ours = lines.filter { $0.hasPrefix(name + "_") }
        #expect(
            ours == [
                "\(name)_bucket{stream=\"door\",le=\"0.005\"} 0", "\(name)_bucket{stream=\"door\",le=\"0.05\"} 1",
                "\(name)_bucket{stream=\"door\",le=\"+Inf\"} 1", "\(name)_sum{stream=\"door\"} 0.02",
                "\(name)_count{stream=\"door\"} 1",
            ])
    }
}
