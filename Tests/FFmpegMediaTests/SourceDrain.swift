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

extension VideoFrame {
    /// The whole picture as RGB, for tests of sources that hand out whole pictures; traps on
    /// sampled frames (those tests never ask for samples).
    var image: RGBImage {
        guard let image = pixels.rgbImage() else { preconditionFailure("frame \(index) carries only samples") }
        return image
    }

    /// The planes, when the frame carries 4:2:0 planes.
    var yuv420: YUV420Picture? {
        if case .yuv420(let picture) = pixels { picture } else { nil }
    }

    /// The samples, when the frame carries only samples.
    var sampled: SampledPicture? {
        if case .sampled(let picture) = pixels { picture } else { nil }
    }
}
