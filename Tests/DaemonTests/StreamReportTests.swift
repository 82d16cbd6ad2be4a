import Testing
import VideoCore

@testable import FaceStreamDaemon

/// `StreamRates`, `StreamReport` and `SummaryLog`: rates from counters, the STATUS text and the
/// periodic summary lines, driven with plain time readings.
@Suite struct StreamReportTests {
    private func snapshot(_ name: String, _ state: StreamState, framesIn: Int = 0, analysed: Int = 0) -> StreamSnapshot
    {
        DaemonTestValues.snapshot(name, state, framesIn: framesIn, analysed: analysed)
    }

    @Test func ratesAreFramesPerSecondSinceTheLastReading() throws {
        var rates = StreamRates()
        let first = rates.update([snapshot("door", .running, framesIn: 10, analysed: 5)], at: .seconds(1))
        // A stream just started has no rate yet (rather than 0.0 fps).
        #expect(first["door"] == nil)
        let second = rates.update([snapshot("door", .running, framesIn: 30, analysed: 10)], at: .seconds(3))
        #expect(second["door"]?.input == 10 && second["door"]?.analyzed == 2.5)
        // A restarted stream whose counters went down reads as zero, never negative.
        let third = rates.update([snapshot("door", .running, framesIn: 4, analysed: 1)], at: .seconds(4))
        #expect(third["door"]?.input == 0 && third["door"]?.analyzed == 0)
        // No time passed: no rate.
        let same = rates.update([snapshot("door", .running, framesIn: 40, analysed: 40)], at: .seconds(4))
        #expect(same["door"] == nil)
    }

    @Test func theStatusLineHasOneClausePerStreamAndARateOnlyWhenRunning() {
        let streams = [snapshot("door", .running), snapshot("yard", .waiting), snapshot("gate", .finished)]
        let rates = ["door": (input: 10.0, analyzed: 9.84), "yard": (input: 3.0, analyzed: 3.0)]
        #expect(StreamReport.status(streams, rates: rates) == "door: running 9.8 fps; yard: waiting; gate: finished")
        #expect(StreamReport.status([snapshot("door", .running)], rates: [:]) == "door: running")
        #expect(StreamReport.status([], rates: [:]) == "no streams")
    }

    @Test func theSummaryLineNamesEveryCounter() {
        var door = snapshot("door", .running, framesIn: 120, analysed: 100)
        door.framesDropped = 20
        door.faces = 7
        door.reconnects = 2
        #expect(
            StreamReport.summary(door, rate: (input: 12, analyzed: 10))
                == "stream door: running, 12.0 fps in, 10.0 fps analysed, 120 frames, 100 analysed, 20 dropped, "
                + "7 faces, 2 reconnects")
        #expect(
            StreamReport.summary(door, rate: nil)
                == "stream door: running, 120 frames, 100 analysed, 20 dropped, 7 faces, 2 reconnects")
    }

    @Test func summariesComeEveryIntervalAndAnEndedStreamIsNotRepeated() {
        var summary = SummaryLog([snapshot("door", .running), snapshot("gate", .running)], at: .zero)
        let interval = Duration.seconds(10)
        var streams = [
            snapshot("door", .running, framesIn: 100, analysed: 100), snapshot("gate", .finished, framesIn: 20),
        ]
        #expect(summary.lines(streams, at: .seconds(9), interval: interval).isEmpty)
        let first = summary.lines(streams, at: .seconds(10), interval: interval)
        #expect(first.count == 2)
        #expect(first.first?.hasPrefix("stream door: running, 10.0 fps in, 10.0 fps analysed, 100 frames") == true)
        #expect(summary.lines(streams, at: .seconds(15), interval: interval).isEmpty)
        streams[0].framesIn = 150
        let second = summary.lines(streams, at: .seconds(20), interval: interval)
        #expect(second.count == 1 && second[0].hasPrefix("stream door: running, 5.0 fps in"))
        // A shorter interval (a reload) applies at once.
        #expect(summary.lines(streams, at: .seconds(21), interval: .seconds(1)).count == 1)
    }
}

/// Failed reconnect attempts: one line per back-off step, with the reason and the next wait.
@Suite struct RetryReportTests {
    @Test func oneLinePerStepNotPerAttempt() {
        var report = RetryReport()
        #expect(
            report.line(reason: "no such device", nextAttemptIn: .milliseconds(500))
                == "no such device; next attempt in 0.5 s")
        #expect(
            report.line(reason: "no such device", nextAttemptIn: .seconds(1)) == "no such device; next attempt in 1 s")
        #expect(
            report.line(reason: "no such device", nextAttemptIn: .seconds(30)) == "no such device; next attempt in 30 s"
        )
        // At the longest wait with the same reason: silent, however long it goes on.
        for _ in 0..<100 { #expect(report.line(reason: "no such device", nextAttemptIn: .seconds(30)) == nil) }
        // A new reason is reported again.
        #expect(
            report.line(reason: "connection refused", nextAttemptIn: .seconds(30))
                == "connection refused; next attempt in 30 s")
    }
}
