import Testing
import Webhooks

@Suite struct WebhookRetryPolicyTests {
    let policy = WebhookRetryPolicy(maximumAttempts: 4, firstDelay: .milliseconds(500), maximumDelay: .seconds(1))

    @Test func successAnswersAreDelivered() {
        for status in [200, 201, 202, 204, 299] {
            #expect(policy.decision(after: .answered(status: status), attempt: 1) == .delivered)
        }
    }

    @Test func transientFailuresAreRetriedWithGrowingWaitsUntilTheAttemptsAreUsed() {
        for outcome: HTTPOutcome in [
            .answered(status: 500), .answered(status: 503), .answered(status: 429), .answered(status: 408), .timedOut,
            .connectionFailed("refused"),
        ] {
            #expect(policy.decision(after: outcome, attempt: 1) == .retry(after: .milliseconds(500)))
            #expect(policy.decision(after: outcome, attempt: 2) == .retry(after: .seconds(1)))
            #expect(policy.decision(after: outcome, attempt: 3) == .retry(after: .seconds(1)))
            #expect(policy.decision(after: outcome, attempt: 4) == .giveUp)
        }
    }

    @Test func otherAnswersAndPermanentFailuresGiveUpAtOnce() {
        for outcome: HTTPOutcome in [
            .answered(status: 400), .answered(status: 401), .answered(status: 404), .answered(status: 301),
            .answered(status: 100), .failedForGood("certificate"), .cancelled,
        ] {
            #expect(policy.decision(after: outcome, attempt: 1) == .giveUp)
        }
    }

    @Test func theDefaultsDoubleFromHalfASecond() {
        let defaults = WebhookRetryPolicy()
        #expect(
            (1...6).map(defaults.delay(afterAttempt:)) == [
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8),
            ])
    }
}
