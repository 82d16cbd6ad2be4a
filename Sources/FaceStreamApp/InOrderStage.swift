import DetectionSinks
import FrameProcessing
import Synchronization
import VideoCore

/// What happens to each frame after the reorder step, on the thread that delivers frames in
/// order: the in-order processors, then every sink. A sink that throws is fed no more frames and
/// its failure is kept for the runner, which decides what to do with the run; the other sinks go
/// on. Counts the faces delivered (after the processors) for summaries, status and metrics.
final class InOrderStage {
    private var processors: ProcessorChain
    private let sinks: [any DetectionSink]
    private var failed: [Bool]
    /// The first sink failure, in frame order.
    private(set) var failure: OutputFailure?
    /// Faces in analysed frames after the processors; readable from any thread.
    let facesDelivered = RunCounter()
    /// Track events delivered, by kind; readable from any thread.
    let appearedEvents = RunCounter()
    let leftEvents = RunCounter()

    init(processors: ProcessorChain, sinks: [any DetectionSink]) {
        self.processors = processors
        self.sinks = sinks
        failed = Array(repeating: false, count: sinks.count)
    }

    /// Whether any sink needs whole pictures.
    var needsPixels: Bool { sinks.contains { $0.needsPixels } }
    /// Whether a sink needs the frames that are not analysed (see `DetectionSink.needsEveryFrame`).
    var needsEveryFrame: Bool { sinks.contains { $0.needsEveryFrame } }

    /// Opens every sink before the first frame; on a failure, finishes the ones already open
    /// (removing what they created) and throws it.
    func open() throws(OutputFailure) {
        for (index, sink) in sinks.enumerated() {
            do {
                try sink.open()
            } catch {
                for opened in sinks[...index] { try? opened.finish() }
                throw error
            }
        }
    }

    /// Processes one frame and hands it to every sink still working; true when a sink failed on
    /// this frame (the runner then stops the run).
    @discardableResult
    func deliver(_ frame: consuming FrameDetections) -> Bool {
        var frame = frame
        processors.process(&frame)
        if let faces = frame.faces { facesDelivered.add(faces.count) }
        count(frame.events)
        var newFailure = false
        for index in sinks.indices where !failed[index] {
            do {
                try sinks[index].write(frame)
            } catch {
                failed[index] = true
                failure = failure ?? error
                newFailure = true
            }
        }
        return newFailure
    }

    /// Hands the events the processors still owe to every sink still working, then finishes every
    /// sink once (also the failed ones, so files get their trailers); returns the first failure of
    /// the run, delivery or finishing.
    func finish() -> OutputFailure? {
        let closing = processors.finish()
        count(closing)
        if !closing.isEmpty {
            for index in sinks.indices where !failed[index] {
                do {
                    try sinks[index].writeClosing(closing)
                } catch {
                    failed[index] = true
                    failure = failure ?? error
                }
            }
        }
        for sink in sinks {
            do {
                try sink.finish()
            } catch {
                failure = failure ?? error
            }
        }
        return failure
    }
}

extension InOrderStage {
    /// Counts events by kind.
    fileprivate func count(_ events: [TrackEvent]) {
        for event in events {
            switch event.kind {
            case .appeared: appearedEvents.add(1)
            case .left: leftEvents.add(1)
            }
        }
    }
}

/// A count (faces, track events), written by the in-order thread and read by status and metrics
/// threads.
final class RunCounter: Sendable {
    private let count = Atomic<Int>(0)

    init() {}

    /// Adds `amount`.
    func add(_ amount: Int) {
        count.add(amount, ordering: .relaxed)
    }

    /// The count so far.
    var value: Int { count.load(ordering: .relaxed) }
}
