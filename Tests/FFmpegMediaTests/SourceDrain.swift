import FFmpegMedia
import VideoCore

/// Reads a source to its end and keeps what came out.
func drain(_ source: some FrameSource, limit: Int = 10_000) throws -> [VideoFrame] {
    var frames: [VideoFrame] = []
    while frames.count < limit, case .frame(let frame) = try source.next() {
        frames.append(frame)
    }
    return frames
}

/// True for `.end`.
func isEnd(_ event: SourceEvent) -> Bool {
    if case .end = event { true } else { false }
}

/// A back-off sleeper that never waits: it records the delays asked for and runs `action` with the
/// attempt number (1-based) before returning.
final class RecordingSleeper: BackoffSleeper, @unchecked Sendable {
    // Touched only from the source's thread (the one calling next()), read after it finished.
    private(set) var delays: [Duration] = []
    private let action: @Sendable (Int) -> Void

    init(action: @escaping @Sendable (Int) -> Void = { _ in }) { self.action = action }

    func sleep(for delay: Duration, unlessFired stop: StopSignal) {
        delays.append(delay)
        action(delays.count)
    }
}
