import VideoCore

/// When a webhook delivery is tried again and how long it waits first: a value with no clock, so
/// the decisions are tested without waiting.
public struct WebhookRetryPolicy: Sendable, Equatable {
    /// Attempts per event, the first included; at least 1.
    public var maximumAttempts: Int
    /// Wait before the first retry; doubled for each further one.
    public var firstDelay: Duration
    /// Longest wait between two attempts.
    public var maximumDelay: Duration

    /// A policy; the defaults are `WebhookLimits`'.
    public init(
        maximumAttempts: Int = WebhookLimits.maximumAttempts, firstDelay: Duration = WebhookLimits.firstRetryDelay,
        maximumDelay: Duration = WebhookLimits.maximumRetryDelay
    ) {
        precondition(maximumAttempts >= 1, "a webhook needs at least one attempt, got \(maximumAttempts)")
        self.maximumAttempts = maximumAttempts
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
    }

    /// What to do after an attempt.
    public enum Decision: Sendable, Equatable {
        /// Delivered (2xx).
        case delivered
        /// Try again after this wait.
        case retry(after: Duration)
        /// Give up: counted as failed.
        case giveUp
    }

    /// The decision after attempt number `attempt` (1 for the first) came to `outcome`: 2xx is
    /// delivered; timeouts, connection failures, 408, 429 and 5xx are retried while attempts are
    /// left; any other answer (3xx, since redirects are not followed, and 4xx) and a permanent
    /// failure give up at once.
    public func decision(after outcome: HTTPOutcome, attempt: Int) -> Decision {
        let retryable: Bool
        switch outcome {
        case .answered(let status) where (200..<300).contains(status): return .delivered
        case .answered(let status): retryable = status == 408 || status == 429 || (500..<600).contains(status)
        case .timedOut, .connectionFailed: retryable = true
        case .failedForGood, .cancelled: retryable = false
        }
        guard retryable, attempt < maximumAttempts else { return .giveUp }
        return .retry(after: delay(afterAttempt: attempt))
    }

    /// The wait after failed attempt `attempt`: `firstDelay * 2^(attempt-1)`, at most `maximumDelay`
    /// (the doubling of the sources' `ReconnectPolicy`).
    public func delay(afterAttempt attempt: Int) -> Duration {
        ReconnectPolicy(initialDelay: firstDelay, maximumDelay: maximumDelay).delay(beforeAttempt: max(1, attempt))
    }
}
