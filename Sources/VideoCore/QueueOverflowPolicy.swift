/// What a full `BoundedQueue` does with a new element.
public enum QueueOverflowPolicy: Sendable, Equatable {
    /// The producer waits until a consumer takes an element: nothing is lost (files).
    case block
    /// The oldest waiting element is discarded and counted, and the new one is queued at once
    /// (live sources: latency stays bounded, the producer never waits).
    case dropOldest
    /// The new element is turned away and counted; what is queued stays (outputs that promised
    /// the queued work to someone, such as snapshots named in event lines; the producer never waits).
    case rejectNewest
}
