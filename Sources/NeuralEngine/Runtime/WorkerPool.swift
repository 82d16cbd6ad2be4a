import CCPUFeatures
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fixed set of worker threads, created once per `InferenceSession`, that run the parts of one
/// job together with the calling thread.
///
/// `run(parts:context:body:)` publishes a job (a C function pointer and a context pointer, so
/// nothing is allocated per call), then the caller and the workers claim parts with one atomic
/// word holding the job's generation and the next part, until none are left; the caller waits
/// until every claimed part finished. Between
/// jobs a worker spins for a short while (layers follow each other within microseconds during an
/// inference) and then parks on a condition variable, so an idle session costs no CPU; `wake()`
/// at the start of an inference sets it spinning again before the first job.
///
/// `@unchecked Sendable` invariant: the job fields are written only by the one thread that calls
/// `run` (sessions are single-threaded) before the releasing store of `claim`, and read by a
/// worker only after it claimed a part of that job with an acquiring compare-exchange; the caller
/// does not return (and so does not rewrite the fields) until every claimed part finished.
final class WorkerPool: @unchecked Sendable {
    /// A part of a job: `body(context, part)`.
    typealias Body = @convention(c) (UnsafeRawPointer, Int) -> Void

    /// Threads that take part in a job, the caller included.
    let threadCount: Int

    // The words threads spin on or write for every part are kept on cache lines of their own
    // (the padding between them): idle workers read `generation` in a loop while the caller and
    // the workers update `claim` and `pending`, and sharing one line made every update a miss
    // for every spinning thread.
    private let generation = Atomic<Int>(0)
    private let padding0 = CacheLinePadding()
    /// `generation << partBits | parts not yet claimed`; parts are claimed from the last down.
    private let claim = Atomic<Int>(0)
    private let padding1 = CacheLinePadding()
    private static let partBits = 24
    private let pending = Atomic<Int>(0)
    private let padding2 = CacheLinePadding()
    private let sleepers = Atomic<Int>(0)
    /// Counts `wake()` calls, so that a parked worker can tell a wake from a job.
    private let wakes = Atomic<Int>(0)
    /// Times a worker left the parked state (for a job, a wake or the shutdown).
    private let unparks = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var jobBody: Body?
    private var jobContext: UnsafeRawPointer?

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var threads: [pthread_t] = []

    /// Spin iterations (each a `pause` and an atomic load) before a worker parks: about 50-150 µs.
    private static let spinLimit = 2_000

    /// Starts `threadCount - 1` workers (none for 1).
    init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 1..<self.threadCount {
            let context = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(
                &thread, nil,
                { raw in
                    let pool = Unmanaged<WorkerPool>.fromOpaque(raw!).takeRetainedValue()
                    pool.workerLoop()
                    return nil
                }, context)
            if status == 0 {
                threads.append(thread)
            } else {
                Unmanaged<WorkerPool>.fromOpaque(context).release()
            }
        }
    }

    /// Stops and joins the workers. Must be called once before the pool is dropped (the workers
    /// hold references to it).
    func shutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        for thread in threads { pthread_join(thread, nil) }
        threads.removeAll()
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Workers parked on the condition variable now (for tests and diagnostics).
    var parkedWorkers: Int { sleepers.load(ordering: .sequentiallyConsistent) }

    /// Times a worker has left the parked state so far (for tests and diagnostics).
    var unparkCount: Int { unparks.load(ordering: .relaxed) }

    /// Makes parked workers spin again (for about `spinLimit` iterations), so that they are awake
    /// when the next job comes: a parked worker takes tens of microseconds to be scheduled, and an
    /// inference's first split layer ran without it for that long (with 2 threads the int8 stem
    /// was no faster than with 1). Call it as an inference starts; it costs a lock and a broadcast
    /// when a worker is parked, and nothing otherwise. A wake that misses a worker just parking
    /// only loses the head start: `run` still wakes every parked worker.
    func wake() {
        guard !threads.isEmpty, sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        pthread_mutex_lock(mutex)
        wakes.wrappingAdd(1, ordering: .sequentiallyConsistent)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body(context, part)` for every part in `0..<parts` on the workers and the calling
    /// thread, and returns when all have finished. Does not allocate.
    func run(parts: Int, context: UnsafeRawPointer, body: Body) {
        if parts <= 1 || threads.isEmpty {
            for part in 0..<parts { body(context, part) }
            return
        }
        precondition(parts < 1 << Self.partBits, "too many parts")
        jobBody = body
        jobContext = context
        pending.store(parts, ordering: .relaxed)
        let current = generation.load(ordering: .relaxed) &+ 1
        claim.store((current & (1 << 38 - 1)) << Self.partBits | parts, ordering: .releasing)
        generation.store(current, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        work(generation: current)
        while pending.load(ordering: .acquiring) > 0 { facestream_cpu_relax() }
    }

    /// Claims and runs parts of job `generation` until none are left (or a newer job started).
    private func work(generation: Int) {
        let tag = (generation & (1 << 38 - 1)) << Self.partBits
        var value = claim.load(ordering: .acquiring)
        while value & ~(1 << Self.partBits - 1) == tag && value & (1 << Self.partBits - 1) > 0 {
            let part = value & (1 << Self.partBits - 1) - 1
            let exchanged = claim.compareExchange(expected: value, desired: value - 1, ordering: .acquiringAndReleasing)
            if !exchanged.exchanged {
                value = exchanged.original
                continue
            }
            // The fields are stable while a part of this job is claimed and unfinished.
            if let body = jobBody, let context = jobContext { body(context, part) }
            pending.wrappingSubtract(1, ordering: .releasing)
            value = claim.load(ordering: .acquiring)
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen && !stopping.load(ordering: .relaxed) {
                spins += 1
                if spins < Self.spinLimit {
                    facestream_cpu_relax()
                    current = generation.load(ordering: .acquiring)
                    continue
                }
                pthread_mutex_lock(mutex)
                sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                current = generation.load(ordering: .sequentiallyConsistent)
                // `wakes` changes under the mutex, so a wake after this load reaches the wait.
                let woken = wakes.load(ordering: .sequentiallyConsistent)
                while current == seen && !stopping.load(ordering: .sequentiallyConsistent)
                    && wakes.load(ordering: .sequentiallyConsistent) == woken
                {
                    pthread_cond_wait(condition, mutex)
                    current = generation.load(ordering: .sequentiallyConsistent)
                }
                sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                unparks.wrappingAdd(1, ordering: .relaxed)
                pthread_mutex_unlock(mutex)
                spins = 0
            }
            if stopping.load(ordering: .acquiring) { return }
            seen = current
            work(generation: current)
        }
    }
}

/// 64 bytes of nothing: stored between hot atomics so that each starts a cache line of its own
/// (stored properties of a class are laid out in declaration order).
private struct CacheLinePadding {
    let bytes: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
}
