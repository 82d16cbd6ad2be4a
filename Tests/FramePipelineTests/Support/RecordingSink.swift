import FramePipeline
import Synchronization
import VideoCore

/// What a test keeps of each delivered frame (never the frame itself, so frames can die).
struct DeliveredFrame: Equatable {
    var sequence: Int
    var index: Int
    var detections: [Detection]?
}

/// Records what the sink receives; thread-safe. `onFrame` runs inside the sink call and may
/// throw (a failing sink) or stop the pipeline.
final class RecordingSink: Sendable {
    private let frames = Mutex<[DeliveredFrame]>([])
    let onFrame: @Sendable (Int) throws -> Void

    init(onFrame: @escaping @Sendable (_ deliveredCount: Int) throws -> Void = { _ in }) {
        self.onFrame = onFrame
    }

    var delivered: [DeliveredFrame] { frames.withLock { $0 } }

    func record(_ result: FrameResult<FakeFrame>) throws {
        let count = frames.withLock {
            $0.append(
                DeliveredFrame(
                    sequence: result.sequence, index: result.frame.index, detections: result.detections))

            return $0.count
        }
        try onFrame(count)
    }
}
