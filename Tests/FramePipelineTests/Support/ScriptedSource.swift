import Foundation
import FramePipeline
import VideoCore

/// Why a scripted source or analyzer failed.
struct ScriptedFailure: Error, Equatable {
    var what: String
}

/// A source that produces `FakeFrame`s from a script, honours `stop()`, and can fail or go quiet.
///
/// `@unchecked Sendable`: the mutable state is read and written only while `condition` is held.
final class ScriptedSource: PipelineSource, @unchecked Sendable {
    let pacing: SourcePacing
    private let frameCount: Int?
    private let pts: @Sendable (Int) -> Double?
    private let failAfter: Int?
    private let quietAfter: Int?
    private let lifeCounter: FrameLifeCounter?
    private let onEnd: (@Sendable () -> Void)?
    private let waitBefore: [Int: Gate]

    private let condition = NSCondition()
    private var produced = 0
    private var stopped = false

    /// - Parameters:
    ///   - frameCount: frames before the end; nil for an endless source.
    ///   - pts: timestamp of frame `index`.
    ///   - failAfter: throw `ScriptedFailure("source")` after this many frames.
    ///   - quietAfter: after this many frames, block until `stop()` (a camera with nothing to send).
    ///   - waitBefore: gates to wait for before producing the frame with that index.
    ///   - onEnd: called once when `nextFrame()` first returns nil or throws.
    init(
        pacing: SourcePacing = .file, frameCount: Int?, pts: @escaping @Sendable (Int) -> Double? = { Double($0) / 30 },
        failAfter: Int? = nil, quietAfter: Int? = nil, lifeCounter: FrameLifeCounter? = nil,
        waitBefore: [Int: Gate] = [:], onEnd: (@Sendable () -> Void)? = nil
    ) {
        self.waitBefore = waitBefore
        self.pacing = pacing
        self.frameCount = frameCount
        self.pts = pts
        self.failAfter = failAfter
        self.quietAfter = quietAfter
        self.lifeCounter = lifeCounter
        self.onEnd = onEnd
    }

    /// Frames returned so far.
    var framesProduced: Int {
        condition.lock()
        defer { condition.unlock() }
        return produced
    }

    func nextFrame() throws -> FakeFrame? {
        waitBefore[framesProduced]?.wait()
        condition.lock()
        if let quietAfter, produced >= quietAfter {
            while !stopped { condition.wait() }
        }
        let index = produced
        let ended = stopped || index == frameCount
        let failing = !ended && index == failAfter
        if !ended && !failing { produced += 1 }
        condition.unlock()
        if failing {
            onEnd?()
            throw ScriptedFailure(what: "source")
        }
        if ended {
            onEnd?()
            return nil
        }
        return FakeFrame(index: index, pts: pts(index), token: lifeCounter.map(FrameLifeToken.init))
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
