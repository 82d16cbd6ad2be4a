import Synchronization

/// Counts fake frames alive now and at most, across threads.
final class FrameLifeCounter: Sendable {
    private let counts = Mutex((alive: 0, peak: 0))

    var alive: Int { counts.withLock { $0.alive } }
    var peak: Int { counts.withLock { $0.peak } }

    func born() {
        counts.withLock {
            $0.alive += 1
            $0.peak = max($0.peak, $0.alive)
        }
    }

    func died() {
        counts.withLock { $0.alive -= 1 }
    }
}

/// Shared by every copy of one fake frame; its lifetime is the frame's lifetime.
final class FrameLifeToken: Sendable {
    private let counter: FrameLifeCounter

    init(_ counter: FrameLifeCounter) {
        self.counter = counter
        counter.born()
    }

    deinit { counter.died() }
}
