import Foundation
import Synchronization
import VideoCore

/// A `VideoCore.FrameSource` of tiny grey frames, for the adapter test.
final class CountingVideoSource: FrameSource {
    let name = "counting"
    let pacing = SourcePacing.file
    private let frames: Int
    private let state = Mutex((next: 0, stopped: false))

    init(frames: Int) { self.frames = frames }

    func next() throws -> SourceEvent {
        let index: Int? = state.withLock {
            guard !$0.stopped, $0.next < frames else { return nil }
            $0.next += 1
            return $0.next - 1
        }
        guard let index else { return .end }
        let image = RGBImage(width: 4, height: 2, pixels: Array(repeating: 128, count: 4 * 2 * 3))
        return .frame(VideoFrame(image: image, index: index, pts: Double(index) / 25))
    }

    func stop() { state.withLock { $0.stopped = true } }

    var statistics: SourceStatistics {
        var statistics = SourceStatistics()
        statistics.framesDecoded = state.withLock { $0.next }
        return statistics
    }
}

/// Thread-safe list of `[frame index] + faces' prior indices`.
final class IndexRecorder: Sendable {
    private let storage = Mutex<[[Int]]>([])
    var values: [[Int]] { storage.withLock { $0 } }
    func append(_ index: Int, faces: [Int]) { storage.withLock { $0.append([index] + faces) } }
}
