import SystemdSupport
import Testing

@Suite struct WatchdogTests {
    @Test func settingsComeFromTheEnvironment() {
        let settings = WatchdogSettings(environment: ["WATCHDOG_USEC": "20000000"], processID: 42)
        #expect(settings?.timeout == .seconds(20))
        #expect(settings?.pingInterval == .seconds(10))
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "42"], processID: 42) != nil)
    }

    @Test func watchdogForAnotherProcessOrNonsenseIsIgnored() {
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "7"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "0"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "ten"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: [:], processID: 42) == nil)
    }

    @Test func pingsEveryIntervalOnlyWhileHealthy() {
        var pacer = WatchdogPacer(interval: .seconds(5))
        #expect(pacer.shouldPing(at: .seconds(0), healthy: true))
        #expect(!pacer.shouldPing(at: .seconds(4), healthy: true))
        #expect(pacer.nextPing(after: .seconds(4)) == .seconds(5))
        #expect(pacer.shouldPing(at: .seconds(5), healthy: true))
        // Stuck from 6 s on: no ping however long, so the manager's timeout fires.
        #expect(!pacer.shouldPing(at: .seconds(10), healthy: false))
        #expect(!pacer.shouldPing(at: .seconds(30), healthy: false))
        // Healthy again: pings at once.
        #expect(pacer.shouldPing(at: .seconds(31), healthy: true))
    }
}
