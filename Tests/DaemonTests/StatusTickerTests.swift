import SystemdSupport
import Testing

@testable import FaceStreamDaemon

/// `StatusTicker`: when `STATUS=` and `WATCHDOG=1` are sent, driven with plain time readings.
@Suite struct StatusTickerTests {
    private func snapshot(_ name: String, _ state: StreamState, framesIn: Int = 0, analysed: Int = 0) -> StreamSnapshot
    {
        DaemonTestValues.snapshot(name, state, framesIn: framesIn, analysed: analysed)
    }

    @Test func statusIsSentOnEveryStateChangeAndEveryFiveSecondsOtherwise() {
        var ticker = StatusTicker(watchdog: nil, now: .zero)
        let starting = [snapshot("door", .starting)]
        #expect(ticker.tick(starting, at: .milliseconds(250)) == [.status("door: starting")])
        #expect(ticker.tick(starting, at: .milliseconds(500)).isEmpty)
        #expect(ticker.tick(starting, at: .milliseconds(5249)).isEmpty)
        #expect(ticker.tick(starting, at: .milliseconds(5250)) == [.status("door: starting")])
        let running = [snapshot("door", .running, framesIn: 10, analysed: 10)]
        #expect(ticker.tick(running, at: .milliseconds(5500)) == [.status("door: running 40.0 fps")])
    }

    @Test func withoutAWatchdogNothingIsPinged() {
        var ticker = StatusTicker(watchdog: nil, now: .zero)
        let notifications = (1...100).flatMap { ticker.tick([], at: .seconds($0)) }
        #expect(!notifications.contains(.watchdog))
    }

    @Test func theWatchdogIsPingedEveryHalfTimeoutWhileFramesFlow() {
        var ticker = StatusTicker(watchdog: WatchdogSettings(timeout: .seconds(2)), now: .zero)
        var pings: [Duration] = []
        for step in 1...20 {
            let time = Duration.milliseconds(250 * step)
            let streams = [snapshot("door", .running, framesIn: step, analysed: step)]
            if ticker.tick(streams, at: time).contains(.watchdog) { pings.append(time) }
        }
        #expect(
            pings == [
                .milliseconds(250), .milliseconds(1250), .milliseconds(2250), .milliseconds(3250), .milliseconds(4250),
            ])
    }

    @Test func aStalledRunningStreamStopsThePingsAndRecoveryResumesThem() {
        var ticker = StatusTicker(watchdog: WatchdogSettings(timeout: .seconds(2)), now: .zero)
        let stuck = [snapshot("door", .running, framesIn: 7)]
        #expect(ticker.tick(stuck, at: .seconds(1)).contains(.watchdog))
        #expect(ticker.tick(stuck, at: .seconds(2)).contains(.watchdog))
        #expect(ticker.tick(stuck, at: .seconds(3)).contains(.watchdog))  // 2 s without a frame is still healthy
        #expect(!ticker.tick(stuck, at: .milliseconds(3001)).contains(.watchdog))
        #expect(!ticker.tick(stuck, at: .seconds(10)).contains(.watchdog))
        #expect(ticker.tick([snapshot("door", .running, framesIn: 8)], at: .seconds(11)).contains(.watchdog))
    }

    @Test func streamsThatWaitOrEndedNeverStallTheWatchdog() {
        var ticker = StatusTicker(watchdog: WatchdogSettings(timeout: .seconds(2)), now: .zero)
        let quiet = [snapshot("door", .waiting, framesIn: 3), snapshot("yard", .finished, framesIn: 9)]
        let pings = (1...40).filter { ticker.tick(quiet, at: .seconds($0)).contains(.watchdog) }
        #expect(pings == Array(stride(from: 1, through: 40, by: 1)))
    }
}
