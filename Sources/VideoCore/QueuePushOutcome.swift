/// What became of an element handed to `BoundedQueue.push(_:)`.
public enum QueuePushOutcome: Sendable, Equatable {
    /// Queued; nothing was discarded.
    case enqueued
    /// Queued after the oldest waiting element was discarded (policy `.dropOldest`, queue full).
    case enqueuedDroppingOldest
    /// Not queued: the queue was closed before or while the producer waited.
    case rejectedClosed
    /// Not queued: the queue was full (policy `.rejectNewest`); counted in `dropped`.
    case rejectedFull
}
