import Foundation
import Synchronization
import VideoCore

/// The queues and threads of one run of a `FramePipeline`.
///
/// Thread roles: one source thread (reads, pushes to Q1, closes Q1 at the end), one dispatch
/// thread (numbers and selects frames, closes Q2 at the end), N workers (analyse), and the
/// caller's thread (reorder and sink). Q3 has N + 1 producers; the last to finish closes it.
final class PipelineStages<Source: PipelineSource, Analyzer: FrameAnalyzing>: Sendable
where Analyzer.Frame == Source.Frame {
    typealias Frame = Source.Frame

    let pipeline: FramePipeline<Source, Analyzer>
    /// Q1: source -> dispatch; policy from the source's pacing.
    let sourceQueue: BoundedQueue<Frame>
    /// Q2: dispatch -> workers. Never full in practice: the in-flight limit is its capacity.
    let workQueue: BoundedQueue<AnalysisTicket<Frame>>
    /// Q3: workers and dispatch -> reorder. Never drops; the in-flight limit is its capacity.
    let completedQueue: BoundedQueue<CompletedFrame<Frame>>
    /// Permits for frames between numbering and the end of their sink call.
    let inFlight: InFlightLimit
    /// Producers of Q3 still running (the dispatch thread and the workers).
    let completedProducers: Atomic<Int>
    /// The analyzers not in use right now, shared by the workers.
    let analyzers = AnalyzerShelf<Analyzer>()

    init(pipeline: FramePipeline<Source, Analyzer>) {
        let configuration = pipeline.configuration
        self.pipeline = pipeline
        let policy = configuration.sourceQueuePolicy ?? (pipeline.source.pacing == .live ? .dropOldest : .block)
        sourceQueue = BoundedQueue(capacity: configuration.sourceQueueCapacity, policy: policy)
        workQueue = BoundedQueue(capacity: configuration.maxFramesInFlight, policy: .block)
        completedQueue = BoundedQueue(capacity: configuration.maxFramesInFlight, policy: .block)
        inFlight = InFlightLimit(limit: configuration.maxFramesInFlight)
        completedProducers = Atomic(configuration.workerCount + 1)
    }

    /// Starts the source, dispatch and worker threads.
    func start() {
        spawn("facestream.source") { self.readSource() }
        spawn("facestream.dispatch") {
            self.dispatch()
            self.completedProducerFinished()
        }
        for worker in 0..<pipeline.configuration.workerCount {
            spawn("facestream.detect.\(worker)") {
                self.work()
                self.completedProducerFinished()
            }
        }
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    private func completedProducerFinished() {
        if completedProducers.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 {
            completedQueue.close()
        }
    }

    // MARK: Source thread

    private func readSource() {
        defer { sourceQueue.close() }
        while !pipeline.stopRequested.load(ordering: .sequentiallyConsistent) {
            let frame: Frame?
            do {
                frame = try pipeline.source.nextFrame()
            } catch {
                pipeline.fail(error)
                return
            }
            guard let frame else { return }
            pipeline.counters.withLock { $0.framesRead += 1 }
            sourceQueue.push(frame)
        }
    }

    // MARK: Dispatch thread

    /// Numbers frames in the order they leave Q1 and sends each to the workers or, when not
    /// selected, straight to the reorder step. A permit is taken before a frame leaves Q1, so a
    /// live frame waits in Q1 (where newer frames can replace it), not here.
    private func dispatch() {
        defer { workQueue.close() }
        var selector = FrameSelector(pipeline.configuration.selection)
        var sequence = 0
        while true {
            inFlight.acquire()
            guard let frame = sourceQueue.pop() else {
                inFlight.release()
                return
            }
            if selector.shouldAnalyze(sequence: sequence, index: frame.index, pts: frame.pts) {
                workQueue.push(AnalysisTicket(sequence: sequence, frame: frame))
            } else {
                pipeline.counters.withLock { $0.framesSkipped += 1 }
                completedQueue.push(CompletedFrame(sequence: sequence, frame: frame, detections: nil))
            }
            sequence += 1
        }
    }

    // MARK: Worker threads

    /// Each frame is analysed with an idle analyzer from the shelf, or with a new one when all are
    /// in use: analyzers are made when frames arrive, not when the threads start, so a stream
    /// waiting for its camera or URL holds no detector (3.7 MB of scratch each for RFB-320), and a
    /// stream whose frames come one at a time holds one whatever its worker count.
    private func work() {
        while let ticket = workQueue.pop() {
            guard var analyzer = takeOrMakeAnalyzer() else {
                // Without an analyzer this worker still passes frames on, so the run drains.
                completedQueue.push(CompletedFrame(sequence: ticket.sequence, frame: ticket.frame, detections: nil))
                drainUnanalysed()
                return
            }
            analyze(ticket, with: &analyzer)
            analyzers.put(analyzer)
        }
    }

    /// An idle analyzer, else a new one; nil (the run failing with the factory's error) when the
    /// factory throws.
    private func takeOrMakeAnalyzer() -> Analyzer? {
        if let idle = analyzers.take() { return idle }
        do {
            return try pipeline.makeAnalyzer()
        } catch {
            pipeline.fail(error)
            return nil
        }
    }

    /// Passes the remaining frames on unanalysed (after the analyzer factory failed).
    private func drainUnanalysed() {
        while let ticket = workQueue.pop() {
            completedQueue.push(CompletedFrame(sequence: ticket.sequence, frame: ticket.frame, detections: nil))
        }
    }

    /// Analyses one frame and hands it on; the worker keeps no reference to it afterwards.
    private func analyze(_ ticket: consuming AnalysisTicket<Frame>, with analyzer: inout Analyzer) {
        if pipeline.hurryRequested.load(ordering: .relaxed) {
            completedQueue.push(CompletedFrame(sequence: ticket.sequence, frame: ticket.frame, detections: nil))
            return
        }
        let clock = ContinuousClock()
        let detections: [Detection]?
        var duration: Duration?
        do {
            let start = clock.now
            detections = try analyzer.analyze(ticket.frame)
            duration = clock.now - start
            pipeline.counters.withLock { $0.framesAnalyzed += 1 }
        } catch {
            pipeline.counters.withLock { $0.analysisFailures += 1 }
            pipeline.fail(error)
            detections = nil
        }
        completedQueue.push(
            CompletedFrame(
                sequence: ticket.sequence, frame: ticket.frame, detections: detections, analysisDuration: duration))
    }

    // MARK: Sink thread

    /// Reorders completed frames and hands them to `sink` one by one until Q3 is closed and
    /// empty. After the sink throws, frames are still drained (and discarded) so no stage blocks.
    func deliverInOrder(to sink: (FrameResult<Frame>) throws -> Void) {
        var reorder = ReorderBuffer<Frame>()
        var sinkFailed = false
        while let completed = completedQueue.pop() {
            reorder.insert(completed)
            while deliverNext(from: &reorder, sinkFailed: &sinkFailed, to: sink) {
                // The frame's last reference ended inside `deliverNext`; only now may another
                // frame leave Q1.
                inFlight.release()
            }
        }
        precondition(reorder.count == 0, "reorder buffer holds \(reorder.count) frames after the last worker ended")
    }

    /// Delivers the next frame in order if it has arrived; false when it has not.
    private func deliverNext(
        from reorder: inout ReorderBuffer<Frame>, sinkFailed: inout Bool,
        to sink: (FrameResult<Frame>) throws -> Void
    ) -> Bool {
        guard let next = reorder.popNext() else { return false }
        guard !sinkFailed, !pipeline.hurryRequested.load(ordering: .relaxed) else { return true }
        do {
            try sink(
                FrameResult(
                    frame: next.frame, sequence: next.sequence, detections: next.detections,
                    analysisDuration: next.analysisDuration))

            pipeline.counters.withLock { $0.framesDelivered += 1 }
        } catch {
            sinkFailed = true
            pipeline.fail(error)
        }
        return true
    }
}
