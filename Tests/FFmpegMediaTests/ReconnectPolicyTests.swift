import FFmpegMedia
import Testing
import VideoCore

@Suite struct ReconnectPolicyTests {
    /// The documented defaults: 0.5 s, doubling, capped at 30 s.
    @Test func defaultDelaysDoubleUpToThirtySeconds() {
        let policy = ReconnectPolicy()
        let delays = (1...9).map { policy.delay(beforeAttempt: $0) }
        let expected: [Duration] = [
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30),
            .seconds(30), .seconds(30),
        ]
        #expect(delays == expected)
        #expect(policy.allows(attempt: 1_000_000))
    }

    @Test func attemptsAreLimitedWhenAsked() {
        let policy = ReconnectPolicy(
            initialDelay: .seconds(1), factor: 3, maximumDelay: .seconds(10), maximumAttempts: 2)
        #expect(policy.delay(beforeAttempt: 2) == .seconds(3))
        #expect(policy.delay(beforeAttempt: 3) == .seconds(9))
        #expect(policy.delay(beforeAttempt: 4) == .seconds(10))
        #expect(policy.allows(attempt: 2) && !policy.allows(attempt: 3))
        #expect(!ReconnectPolicy.never.allows(attempt: 1))
    }

    @Test func stopSignalEndsABackoffSleepAtOnce() {
        let signal = StopSignal()
        signal.fire()
        let started = ContinuousClock.now
        SystemBackoffSleeper().sleep(for: .seconds(30), unlessFired: signal)
        #expect(ContinuousClock.now - started < .seconds(10), "the 30 s sleep was not cut short")
    }
}
