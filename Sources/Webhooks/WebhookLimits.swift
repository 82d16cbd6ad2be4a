import CoreSupport

/// The bounds of a webhook output, named once (documented in the README's Webhooks section).
public enum WebhookLimits {
    /// Events waiting for delivery per output; when full, the oldest is dropped (counted).
    public static let queueCapacity = 256
    /// Attempts per event (the first one and its retries) before it counts as failed.
    public static let maximumAttempts = 4
    /// Wait before the first retry; it doubles for each further one.
    public static let firstRetryDelay: Duration = .milliseconds(500)
    /// Longest wait between two attempts.
    public static let maximumRetryDelay: Duration = .seconds(8)
    /// Default time one attempt may take, connecting included (`--webhook-timeout`).
    public static let defaultTimeout: Duration = .seconds(5)
    /// Allowed `--webhook-timeout` / `webhook_timeout`, in seconds.
    public static let timeoutRange: ClosedRange<Double> = 0.1...60
    /// At the end of a run, how long queued events may still take to be delivered; what is left
    /// after that is dropped (counted and logged).
    public static let finishWait: Duration = .seconds(5)
    /// Bytes of a receiver's answer read at most (then the transfer ends; the status still counts).
    public static let maximumResponseBytes = 64 * 1024
    /// Largest secret file, in bytes.
    public static let maximumSecretBytes = SecretFile.maximumBytes
    /// Longest URL, in bytes.
    public static let maximumURLBytes = 2048
}
