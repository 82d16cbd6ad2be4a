import Testing
import VideoCore

@testable import FaceStreamDaemon

/// `StreamRestart`: what a stream does after a run, and the back-off between runs.
@Suite struct StreamRestartTests {
    @Test func aStopRequestWinsOverEverything() {
        for failed in [false, true] {
            for live in [false, true] {
                #expect(StreamRestart.decision(failed: failed, stopRequested: true, live: live) == .stop)
            }
        }
    }

    @Test func aFileFinishesOrFailsALiveSourceIsRetried() {
        #expect(StreamRestart.decision(failed: false, stopRequested: false, live: false) == .finish)
        #expect(StreamRestart.decision(failed: true, stopRequested: false, live: false) == .fail)
        #expect(StreamRestart.decision(failed: false, stopRequested: false, live: true) == .retry)
        #expect(StreamRestart.decision(failed: true, stopRequested: false, live: true) == .retry)
    }

    @Test func theDelayGrowsWhileRunsDeliverNothingAndIsCapped() {
        var restart = StreamRestart(
            policy: ReconnectPolicy(initialDelay: .milliseconds(500), factor: 2, maximumDelay: .seconds(3)))
        let delays = (0..<6).map { _ in restart.delay(afterRunDeliveringFrames: false) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(3), .seconds(3), .seconds(3)])
        #expect(restart.attempt == 6)
    }

    @Test func aRunThatDeliveredFramesStartsTheBackOffAgain() {
        var restart = StreamRestart(policy: ReconnectPolicy(initialDelay: .milliseconds(100), factor: 3))
        #expect(restart.delay(afterRunDeliveringFrames: false) == .milliseconds(100))
        #expect(restart.delay(afterRunDeliveringFrames: false) == .milliseconds(300))
        #expect(restart.delay(afterRunDeliveringFrames: true) == .milliseconds(100))
        #expect(restart.attempt == 1)
        #expect(restart.delay(afterRunDeliveringFrames: false) == .milliseconds(300))
    }
}
