import SystemdSupport
import Testing

@Suite struct WatchdogTests {
    @Test func settingsComeFromTheEnvironment() {
        let settings = WatchdogSettings(environment: ["WATCHDOG_USEC": "20000000"], processID: 42)
        #expect(settings?.timeout == .seconds(20))
        #expect(settings?.pingInterval == .seconds(10))
        #expect(
            WatchdogSettings(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "42"], processID: 42) != nil)
    }

    @Test func watchdogForAnotherProcessOrNonsenseIsIgnored() {
        #expect(
            WatchdogSettings(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "7"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "0"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "ten"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: [:], processID: 42) == nil)
    }

    @Test func pingsEveryIntervalOnlyWhileHealthy() {
        var pacer = WatchdogPacer(interval: .seconds(5))
        // (time in s, healthy) -> ping?
        let script: [(Int64, Bool, Bool)] = [
            (0, true, true), (4, true, false), (5, true, true),
            // Stuck from 6 s on: no ping however long, so the manager's timeout fires.
            (10, false, false), (30, false, false),
            // Healthy again: pings at once.
            (31, true, true), (32, true, false),
        ]
        for (time, healthy, expected) in script {
            let pinged = pacer.shouldPing(at: .seconds(time), healthy: healthy)
            #expect(pinged == expected, "at \(time) s")
        }
        #expect(pacer.nextPing(after: .seconds(33)) == .seconds(36))
    }
}
