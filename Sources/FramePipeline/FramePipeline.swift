import Foundation
import Synchronization
import VideoCore

/// Runs frames from a source through detect workers to a sink, in frame order, with bounded
/// memory:
///
/// ```
/// source thread -Q1-> dispatch thread (sequence numbers, selection) -Q2-> N detect workers
///     -Q3-> reorder -> sink (one thread, frame order)
/// ```
///
/// - Q1 holds `sourceQueueCapacity` frames; files block the source (nothing lost), live sources
///   drop the oldest frame and count it. Frames get their `sequence` only after Q1, so the
///   reorder step never waits for a dropped frame.
/// - Workers share the run's analyzers: each frame takes an idle one, or `makeAnalyzer` makes one
///   on the worker's thread when all are busy (a run waiting for its source holds none; a run
///   whose frames come one at a time holds one, whatever its worker count).
/// - At most `maxFramesInFlight` frames exist between numbering and the end of the sink call, so
///   the reorder buffer stays bounded even when one worker is slow. Q2 and Q3 never drop.
/// - Frames not selected for analysis skip the workers and still reach the sink, in order.
///
/// All threads are dedicated `Thread`s; the sink runs on the thread that calls `runBlocking` (or a
/// dedicated one for `run`). One pipeline runs once.
public final class FramePipeline<Source: PipelineSource, Analyzer: FrameAnalyzing>: Sendable
where Analyzer.Frame == Source.Frame {
    /// The frame type flowing through.
    public typealias Frame = Source.Frame

    /// The frame supplier; stopped by `stop()`.
    public let source: Source
    /// Sizes and choices of the run.
    public let configuration: PipelineConfiguration
    let makeAnalyzer: @Sendable () throws -> Analyzer

    let stopRequested = Atomic<Bool>(false)
    /// Set by `hurry()`: frames still in the pipeline are passed on unanalysed and not delivered.
    let hurryRequested = Atomic<Bool>(false)
    let started = Atomic<Bool>(false)
    /// Counters shared by all stages; the dropped count is read from Q1 when a snapshot is taken.
    let counters = Mutex(PipelineStatistics())
    let sourceQueueState = Mutex<BoundedQueue<Frame>?>(nil)
    let clock = ContinuousClock()
    let timing = Mutex<(start: ContinuousClock.Instant?, end: ContinuousClock.Instant?)>((nil, nil))
    let failure = Mutex<(any Error)?>(nil)

    /// Prepares a run; nothing starts until `run` or `runBlocking`. `makeAnalyzer` is called on a
    /// worker's thread when a frame finds no idle analyzer (at most once per worker); if it
    /// throws, the run drains and throws that error.
    public init(
        source: Source,
        configuration: PipelineConfiguration,
        makeAnalyzer: @escaping @Sendable () throws -> Analyzer
    ) {
        configuration.validate()
        self.source = source
        self.configuration = configuration
        self.makeAnalyzer = makeAnalyzer
    }

    /// Graceful stop, from any thread or task (a signal handler, the sink itself): the source is
    /// stopped, frames already read are analysed and delivered, then the run returns. Idempotent.
    /// An impatient stop (a second SIGINT): like `stop()`, and the frames already read are neither
    /// analysed nor delivered, so the run ends as soon as the workers finish the frame they are
    /// on. The caller still finishes its outputs. Idempotent.
    public func hurry() {
        hurryRequested.store(true, ordering: .sequentiallyConsistent)
        stop()
    }

    public func stop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        source.stop()
    }

    /// A snapshot of the counters: live during the run (for progress lines), final after it.
    public var statistics: PipelineStatistics {
        var snapshot = counters.withLock { $0 }
        if let queue = sourceQueueState.withLock({ $0 }) { snapshot.framesDropped = queue.dropped }
        let (start, end) = timing.withLock { $0 }
        if let start { snapshot.wallTime = (end ?? clock.now) - start }
        return snapshot
    }

    /// Runs the pipeline to its end, calling `sink` on the calling thread for every frame that
    /// passed the source queue, in sequence order. Blocks: call it from a dedicated thread, never
    /// from the cooperative pool (use `run(sink:)` there).
    ///
    /// Returns the final statistics when the source ended or `stop()` was called. Throws the
    /// first error of the run (source, analyzer, analyzer factory or sink) after every frame
    /// already read has been drained: delivered to the sink unless the sink itself failed.
    @discardableResult
    public func runBlocking(sink: (FrameResult<Frame>) throws -> Void) throws -> PipelineStatistics {
        let alreadyStarted = started.exchange(true, ordering: .sequentiallyConsistent)
        precondition(!alreadyStarted, "a FramePipeline runs once")
        timing.withLock { $0.start = clock.now }
        let stages = PipelineStages(pipeline: self)
        sourceQueueState.withLock { $0 = stages.sourceQueue }
        stages.start()
        stages.deliverInOrder(to: sink)
        timing.withLock { $0.end = clock.now }
        if let error = failure.withLock({ $0 }) { throw error }
        return statistics
    }

    /// Runs the pipeline on dedicated threads and returns its final statistics; the sink is called
    /// on one of them, in sequence order. Cancelling the task calls `stop()` (graceful stop).
    /// Errors as for `runBlocking(sink:)`.
    @discardableResult
    public func run(sink: sending @escaping (FrameResult<Frame>) throws -> Void) async throws -> PipelineStatistics {
        let transfer = SinkTransfer(sink: sink)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    continuation.resume(with: Result { try self.runBlocking(sink: transfer.sink) })
                }
                thread.name = "facestream.sink"
                thread.start()
            }
        } onCancel: {
            self.stop()
        }
    }

    /// Records the first error of the run and stops the source so the run drains and ends.
    func fail(_ error: any Error) {
        failure.withLock { first in
            if first == nil { first = error }
        }
        stop()
    }
}

/// Carries a `sending` sink closure to the thread that runs it.
///
/// `@unchecked Sendable`: the closure was passed as `sending`, so the caller keeps no access to
/// it, and only the one run thread calls it.
private struct SinkTransfer<Frame: PipelineFrame>: @unchecked Sendable {
    let sink: (FrameResult<Frame>) throws -> Void
}
