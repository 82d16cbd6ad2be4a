import Foundation

/// A first-in first-out queue with a fixed capacity and a named overflow policy, shared between
/// threads.
///
/// `push(_:)` and `pop()` may block: call them from dedicated threads, never from the Swift
/// cooperative pool. Waiting uses a condition variable (no busy waiting). `close()` marks the end
/// of input: producers are turned away, consumers drain what is left and then get `nil`.
///
/// `@unchecked Sendable`: every stored property below `lock` is read and written only while
/// `lock` is held; `capacity` and `policy` are immutable.
public final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    /// Most elements waiting at once; at least 1.
    public let capacity: Int
    /// What `push(_:)` does when the queue is full.
    public let policy: QueueOverflowPolicy

    /// One mutex and one condition for both "not empty" and "not full": every change broadcasts,
    /// and each waiter checks its own predicate again. Cheap at frame rates, and it cannot lose a
    /// wake-up the way a single `signal()` shared by producers and consumers could.
    private let lock = NSCondition()
    /// Ring storage: `count` elements starting at `head`, wrapping at `capacity`.
    private var slots: [Element?]
    private var head = 0
    private var storedCount = 0
    private var closed = false
    private var droppedCount = 0
    private var pushedCount = 0
    private var highWater = 0

    /// Makes an empty, open queue. Traps when `capacity < 1`.
    public init(capacity: Int, policy: QueueOverflowPolicy) {
        precondition(capacity >= 1, "BoundedQueue needs a capacity of at least 1, got \(capacity)")
        self.capacity = capacity
        self.policy = policy
        self.slots = Array(repeating: nil, count: capacity)
    }

    /// Adds `element` at the tail. When the queue is full, `.block` waits for room,
    /// `.dropOldest` discards the head and `.rejectNewest` turns `element` away (both counted in
    /// `dropped`). Returns `.rejectedClosed` without queuing when the queue is or becomes closed.
    @discardableResult
    public func push(_ element: Element) -> QueuePushOutcome {
        lock.lock()
        defer { lock.unlock() }
        if policy == .block {
            while storedCount == capacity && !closed { lock.wait() }
        }
        if closed { return .rejectedClosed }
        var outcome = QueuePushOutcome.enqueued
        if storedCount == capacity && policy == .rejectNewest {
            droppedCount += 1
            return .rejectedFull
        }
        if storedCount == capacity {
            // Only `.dropOldest` gets here with a full queue.
            slots[head] = nil
            head = (head + 1) % capacity
            storedCount -= 1
            droppedCount += 1
            outcome = .enqueuedDroppingOldest
        }
        slots[(head + storedCount) % capacity] = element
        storedCount += 1
        pushedCount += 1
        highWater = max(highWater, storedCount)
        lock.broadcast()
        return outcome
    }

    /// Removes and returns the head, waiting while the queue is empty and open. Returns `nil`
    /// once the queue is closed and empty.
    public func pop() -> Element? {
        lock.lock()
        defer { lock.unlock() }
        while storedCount == 0 && !closed { lock.wait() }
        guard storedCount > 0 else { return nil }
        let element = slots[head]
        slots[head] = nil
        head = (head + 1) % capacity
        storedCount -= 1
        lock.broadcast()
        return element
    }

    /// Ends the input: later pushes are rejected, blocked producers return `.rejectedClosed`,
    /// consumers drain the elements still queued and then get `nil`. Idempotent.
    public func close() {
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
    }

    /// Elements waiting now.
    public var count: Int { locked { storedCount } }
    /// Elements discarded by `.dropOldest` or turned away by `.rejectNewest` so far.
    public var dropped: Int { locked { droppedCount } }
    /// Elements accepted by `push(_:)` so far (including those dropped later).
    public var pushed: Int { locked { pushedCount } }
    /// Most elements that were ever waiting at once; never above `capacity`.
    public var highWaterMark: Int { locked { highWater } }
    /// Whether `close()` was called.
    public var isClosed: Bool { locked { closed } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
