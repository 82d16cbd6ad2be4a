import Foundation

/// The analyzers of one pipeline run that no worker is using: a worker takes one for each frame
/// and puts it back after, so a run holds as many analyzers as frames were ever analysed at once,
/// not one per worker. A live stream analysing a few frames a second on two workers then holds one
/// detector (3.7 MB of scratch for RFB-320) instead of two.
///
/// `@unchecked Sendable`: the analyzers are kept only behind `lock`, and an analyzer is used by one
/// worker at a time, from `take()` to `put(_:)`; the lock orders one worker's last use before the
/// next worker's first (an analyzer needs no more than that: see `FrameAnalyzing`).
final class AnalyzerShelf<Analyzer: FrameAnalyzing>: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Analyzer] = []

    /// An idle analyzer, or nil when every analyzer made so far is in use.
    func take() -> Analyzer? {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast()
    }

    /// Gives back an analyzer taken or made for one frame.
    func put(_ analyzer: consuming Analyzer) {
        lock.lock()
        defer { lock.unlock() }
        idle.append(analyzer)
    }
}
