import CoreSupport
import Foundation

/// A progress line on stderr for files when stderr is a terminal: frames done / total, fps and
/// the time left, drawn at the first frame and then redrawn in place at most twice a second.
/// Silent when disabled.
struct ProgressLine {
    let name: String
    let enabled: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    /// When the line was last drawn; nil before the first frame (which is always drawn).
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    init(name: String, enabled: Bool) {
        self.name = name
        self.enabled = enabled
        self.start = clock.now
    }

    /// Called once per frame delivered; draws at the first one and when half a second has passed
    /// since the last drawing, so even a run shorter than that shows its line once. `expected` (the
    /// source's frame count, behind a lock) is read only when a line is drawn.
    mutating func update(frameIndex: Int, expected: @autoclosure () -> Int?) {
        guard enabled else { return }
        let now = clock.now
        if let lastDraw, now - lastDraw < .milliseconds(500) { return }
        lastDraw = now
        let elapsed = Self.seconds(now - start)
        let done = frameIndex + 1
        let fps = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(name): \(done)"
        if let expected = expected(), expected > 0 {
            text += "/\(expected) frames, \(String(format: "%.1f", fps)) fps"
            if fps > 0, expected > done { text += ", ETA \(Int((Double(expected - done) / fps).rounded())) s" }
        } else {
            text += " frames, \(String(format: "%.1f", fps)) fps"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        drawn = true
    }

    /// Clears the line so the summary starts on a clean line.
    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func seconds(_ duration: Duration) -> Double {
        duration.inSeconds
    }
}
