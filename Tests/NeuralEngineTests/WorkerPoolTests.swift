import Foundation
import Synchronization
import Testing

@testable import NeuralEngine

/// The session's worker pool: every part of a job runs exactly once, on the workers and the
/// caller; idle workers park; `wake()` sets parked workers spinning again before a job.
/// Waits are bounded by a generous deadline (a liveness bound, not a speed measurement).
@Suite struct WorkerPoolTests {
    /// Counts the runs of each part.
    final class Tally: @unchecked Sendable {
        let counts: UnsafeMutablePointer<Atomic<Int>>
        let size: Int
        init(size: Int) {
            self.size = size
            counts = .allocate(capacity: size)
            for index in 0..<size { (counts + index).initialize(to: Atomic(0)) }
        }
        deinit { counts.deallocate() }
        func values() -> [Int] { (0..<size).map { counts[$0].load(ordering: .relaxed) } }
    }

    static func runJob(_ pool: WorkerPool, parts: Int, tally: Tally) {
        withExtendedLifetime(tally) {
            pool.run(parts: parts, context: UnsafeRawPointer(tally.counts)) { raw, part in
                let counts = UnsafeMutableRawPointer(mutating: raw).assumingMemoryBound(to: Atomic<Int>.self)
                counts[part].wrappingAdd(1, ordering: .relaxed)
            }
        }
    }

    /// Polls `condition` every millisecond for up to 10 s.
    static func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if condition() { return true }
            usleep(1000)
        }
        return condition()
    }

    @Test(arguments: [2, 3])
    func everyPartRunsOnce(threads: Int) {
        let pool = WorkerPool(threadCount: threads)
        defer { pool.shutdown() }
        let tally = Tally(size: 37)
        for _ in 0..<200 { Self.runJob(pool, parts: 37, tally: tally) }
        #expect(tally.values() == [Int](repeating: 200, count: 37))
    }

    @Test func wakeSetsParkedWorkersSpinning() {
        let pool = WorkerPool(threadCount: 3)
        defer { pool.shutdown() }
        let tally = Tally(size: 4)
        Self.runJob(pool, parts: 4, tally: tally)
        // Idle, both workers park.
        #expect(Self.eventually { pool.parkedWorkers == 2 })
        let before = pool.unparkCount
        pool.wake()
        // Both leave the parked state without a job, spin, and park again.
        #expect(Self.eventually { pool.unparkCount == before + 2 })
        #expect(Self.eventually { pool.parkedWorkers == 2 })
        // A wake with nobody parked does nothing, and jobs still run every part once.
        Self.runJob(pool, parts: 4, tally: tally)
        pool.wake()
        Self.runJob(pool, parts: 4, tally: tally)
        #expect(tally.values() == [3, 3, 3, 3])
    }
}
