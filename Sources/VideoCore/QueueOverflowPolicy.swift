/// What a full `BoundedQueue` does with a new element.
public enum QueueOverflowPolicy: Sendable, Equatable {
    /// The producer waits until a consumer takes an element: nothing is lost (files).
    case block
    /// The oldest waiting element is discarded and counted, and the new one is queued at once
    /// (live sources: latency stays bounded, the producer never waits).
    case dropOldest
}
