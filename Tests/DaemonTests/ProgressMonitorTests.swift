import Testing

@testable import FaceStreamDaemon

/// `ProgressMonitor`: the watchdog's notion of health, driven with plain time readings.
@Suite struct ProgressMonitorTests {
    private func snapshot(_ name: String, _ state: StreamState, framesIn: Int) -> StreamSnapshot {
        var snapshot = StreamSnapshot(name: name, state: state)
        snapshot.framesIn = framesIn
        return snapshot
    }

    @Test func oneStalledStreamMakesTheServiceUnhealthyWhileAnotherFlows() {
        var monitor = ProgressMonitor(stallLimit: .seconds(10))
        let start = [snapshot("door", .running, framesIn: 1), snapshot("yard", .running, framesIn: 1)]
        #expect(monitor.isHealthy(start, at: .zero) == true)
        for second in 1...10 {
            let streams = [snapshot("door", .running, framesIn: 1 + second), snapshot("yard", .running, framesIn: 1)]
            #expect(monitor.isHealthy(streams, at: .seconds(second)) == true, "\(second) s")
        }
        let streams = [snapshot("door", .running, framesIn: 20), snapshot("yard", .running, framesIn: 1)]
        #expect(monitor.isHealthy(streams, at: .milliseconds(10_001)) == false)
    }

    @Test func waitingRestartsTheStallClock() {
        var monitor = ProgressMonitor(stallLimit: .seconds(10))
        #expect(monitor.isHealthy([snapshot("door", .running, framesIn: 5)], at: .zero) == true)
        // The source dropped: waiting is healthy however long, and the clock starts again after it.
        #expect(monitor.isHealthy([snapshot("door", .waiting, framesIn: 5)], at: .seconds(60)) == true)
        #expect(monitor.isHealthy([snapshot("door", .running, framesIn: 5)], at: .seconds(70)) == true)
        #expect(monitor.isHealthy([snapshot("door", .running, framesIn: 5)], at: .seconds(71)) == false)
    }

    @Test func aNewStreamStartsWithAFullAllowance() {
        var monitor = ProgressMonitor(stallLimit: .seconds(10))
        #expect(monitor.isHealthy([], at: .zero) == true)
        #expect(monitor.isHealthy([snapshot("gate", .running, framesIn: 0)], at: .seconds(100)) == true)
        #expect(monitor.isHealthy([snapshot("gate", .running, framesIn: 0)], at: .seconds(110)) == true)
        #expect(monitor.isHealthy([snapshot("gate", .running, framesIn: 0)], at: .seconds(111)) == false)
    }
}
