import Foundation
import Testing
import VideoCore

// The time limits of the pipeline suites only catch hangs: they are far above what the tests take
// (well under a second each), so a machine loaded by other work cannot make them fail.
@Suite("BoundedQueue", .timeLimit(.minutes(10)))
struct BoundedQueueTests {
    @Test("block policy loses nothing with a slow consumer, and never holds more than its capacity")
    func blockLosesNothing() async throws {
        let queue = BoundedQueue<Int>(capacity: 3, policy: .block)
        let total = 2_000
        async let produced: [QueuePushOutcome] = onThread("producer") {
            let outcomes = (0..<total).map { queue.push($0) }
            queue.close()
            return outcomes
        }
        let (received, work): ([Int], Int) = try await onThread("consumer") {
            var items: [Int] = []
            var checksum = 0
            while let item = queue.pop() {
                items.append(item)
                // A slow consumer: some work per item, and a yield so the producer fills the queue.
                for step in 0..<(item % 7) * 500 { checksum = checksum &* 31 &+ step }
                sched_yield()
            }
            return (items, checksum)
        }
        let outcomes = try await produced
        #expect(received.count == total)
        #expect(received.elementsEqual(0..<total))
        _ = work
        #expect(outcomes.allSatisfy { $0 == .enqueued })
        #expect(queue.dropped == 0)
        #expect(queue.pushed == total)
        #expect(queue.highWaterMark <= 3)
        #expect(queue.count == 0)
    }

    @Test("dropOldest keeps the newest elements, counts the drops and never blocks the producer")
    func dropOldestKeepsNewest() {
        let queue = BoundedQueue<Int>(capacity: 4, policy: .dropOldest)
        var outcomes: [QueuePushOutcome] = []
        for value in 0..<10 { outcomes.append(queue.push(value)) }
        #expect(outcomes.prefix(4).allSatisfy { $0 == .enqueued })
        #expect(outcomes.dropFirst(4).allSatisfy { $0 == .enqueuedDroppingOldest })
        #expect(queue.dropped == 6)
        #expect(queue.count == 4)
        queue.close()
        var drained: [Int] = []
        while let value = queue.pop() { drained.append(value) }
        #expect(drained == [6, 7, 8, 9])
        #expect(queue.highWaterMark == 4)
    }

    @Test("rejectNewest keeps what is queued, turns the new element away and counts it")
    func rejectNewestKeepsTheQueued() {
        let queue = BoundedQueue<Int>(capacity: 3, policy: .rejectNewest)
        let outcomes = (0..<5).map { queue.push($0) }
        #expect(outcomes == [.enqueued, .enqueued, .enqueued, .rejectedFull, .rejectedFull])
        #expect(queue.dropped == 2 && queue.count == 3)
        #expect(queue.pop() == 0)
        #expect(queue.push(5) == .enqueued)
        queue.close()
        #expect(queue.push(6) == .rejectedClosed)
        var drained: [Int] = []
        while let value = queue.pop() { drained.append(value) }
        #expect(drained == [1, 2, 5])
    }

    @Test("dropOldest with a concurrent consumer: everything received is in order, received + dropped = pushed")
    func dropOldestConcurrent() async throws {
        let queue = BoundedQueue<Int>(capacity: 2, policy: .dropOldest)
        let total = 5_000
        async let received: [Int] = onThread("consumer") {
            var items: [Int] = []
            while let item = queue.pop() {
                items.append(item)
                sched_yield()
            }
            return items
        }
        try await onThread("producer") {
            for value in 0..<total { queue.push(value) }
            queue.close()
        }
        let items = try await received
        #expect(zip(items, items.dropFirst()).allSatisfy { $0 < $1 })
        #expect(items.last == total - 1, "the newest element is never dropped")
        #expect(items.count + queue.dropped == total)
    }

    @Test("close() lets consumers drain, then returns nil; later pushes are rejected")
    func closeDrains() {
        let queue = BoundedQueue<String>(capacity: 3, policy: .block)
        queue.push("a")
        queue.push("b")
        queue.close()
        #expect(queue.push("c") == .rejectedClosed)
        #expect(queue.pop() == "a")
        #expect(queue.pop() == "b")
        #expect(queue.pop() == nil)
        #expect(queue.pop() == nil)
        #expect(queue.isClosed)
    }

    @Test("close() wakes a blocked producer and blocked consumers")
    func closeWakesWaiters() async throws {
        let full = BoundedQueue<Int>(capacity: 1, policy: .block)
        full.push(0)
        let empty = BoundedQueue<Int>(capacity: 1, policy: .block)
        let started = BoundedQueue<Int>(capacity: 4, policy: .block)
        async let producerOutcome = onThread("producer") { () -> QueuePushOutcome in
            started.push(1)
            return full.push(1)
        }
        async let consumerResult = onThread("consumer") { () -> Int? in
            started.push(2)
            return empty.pop()
        }
        // Both threads have started; closing must release them whether or not they are waiting yet.
        _ = started.pop()
        _ = started.pop()
        full.close()
        empty.close()
        #expect(try await producerOutcome == .rejectedClosed)
        #expect(try await consumerResult == nil)
        #expect(full.pop() == 0, "what was queued before close() is still delivered")
    }
}
