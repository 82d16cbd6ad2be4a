import VideoCore

/// Holds back the last `seconds` of frames on their way to the annotated video, so that a face
/// first found in frame N is also hidden in the frames before it (a face walking in is often
/// found only once it is large or sharp enough; without this the first frames show it).
///
/// When a frame arrives, each of its shown faces is compared with the held frames from the newest
/// backwards: every held frame within `seconds` of stream time that shows no overlapping face gets
/// the face's box (its first box; faces move little in half a second, and the mask scale covers
/// that), and the walk stops at the first frame that already shows it. Frames leave in order, once
/// no later frame can reach them, or when more than `maximumFrames` are held.
///
/// Memory: the held frames carry whole pictures, 3.1 MB each at 1080p in 4:2:0 (12 MB at 4K).
/// 0.5 s at 30 fps holds 16 frames (50 MB at 1080p); the cap of 64 frames bounds it at about
/// 200 MB at 1080p, and shortens the lookahead of sources faster than 32 fps at 2 s.
struct LookaheadBuffer {
    /// Most frames held at once.
    static let maximumFrames = 64
    /// Frames per second assumed for frames without timestamps.
    static let assumedFrameRate = 25.0

    let seconds: Double
    let maximumFrames: Int
    private var held: [FrameDetections] = []
    /// Index of the oldest held frame in `held` (frames before it have left; compacted now and then).
    private var head = 0

    /// A buffer holding back `seconds` of frames, at most `maximumFrames` of them.
    init(seconds: Double, maximumFrames: Int = LookaheadBuffer.maximumFrames) {
        precondition(maximumFrames >= 1, "a lookahead buffer holds at least one frame")
        self.seconds = max(0, seconds)
        self.maximumFrames = maximumFrames
    }

    /// Frames held now.
    var count: Int { held.count - head }

    /// Takes `frame`, adds its new faces to the held frames before it, and returns the frames
    /// that leave now, oldest first.
    mutating func push(_ frame: FrameDetections) -> [FrameDetections] {
        let time = Self.time(of: frame)
        for face in frame.shownFaces {
            var index = held.count - 1
            while index >= head, Self.time(of: held[index]) >= time - seconds - 1e-6 {
                if held[index].shownFaces.contains(where: { Self.overlaps($0.box, face.box) }) { break }
                held[index].shownFaces.append(face)
                index -= 1
            }
        }
        held.append(frame)
        var leaving: [FrameDetections] = []
        while count > maximumFrames || (count > 1 && time - Self.time(of: held[head]) > seconds + 1e-6) {
            leaving.append(held[head])
            head += 1
        }
        if seconds == 0 {
            leaving += held[head...]
            head = held.count
        }
        compact()
        return leaving
    }

    /// Every frame still held, oldest first (end of input).
    mutating func flush() -> [FrameDetections] {
        let leaving = Array(held[head...])
        held.removeAll()
        head = 0
        return leaving
    }

    /// Drops the slots of frames that left once they are half of the array.
    private mutating func compact() {
        guard head > 0, head * 2 >= held.count else { return }
        held.removeFirst(head)
        head = 0
    }

    /// Stream time of a frame in seconds: its timestamp, else its index at the assumed rate.
    static func time(of frame: FrameDetections) -> Double {
        frame.frame.pts ?? Double(frame.frame.index) / assumedFrameRate
    }

    /// Whether two boxes share at least a quarter of the smaller one's area.
    static func overlaps(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        let width = min(a.x2, b.x2) - max(a.x1, b.x1)
        let height = min(a.y2, b.y2) - max(a.y1, b.y1)
        guard width > 0, height > 0 else { return false }
        let smaller = min(a.width * a.height, b.width * b.height)
        return width * height >= 0.25 * smaller
    }
}
