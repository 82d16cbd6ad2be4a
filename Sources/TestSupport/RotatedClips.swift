import Foundation

/// Phone-style clips: the panning photo stored turned, with a display matrix that shows it upright
/// again, made with the real ffmpeg (5.1: `-metadata:s:v:0 rotate=N` on a stream copy writes the
/// matrix into MP4; ffprobe lists it as the stream's "Display Matrix" side data).
public enum RotatedClips {
    /// A display rotation and the filters that relate the stored and displayed pictures.
    public struct Turn: Sendable, CustomStringConvertible {
        /// The `rotate` tag written (ffmpeg 5.1 shows the picture turned that many degrees
        /// counterclockwise).
        public let tag: Int
        /// The filter that turns the upright picture into the stored one.
        public let storing: String
        /// The filter that turns the stored picture into the displayed one (undoes `storing`).
        public let displaying: String

        public var description: String { "rotate=\(tag)" }

        public static let ninety = Turn(tag: 90, storing: "transpose=clock", displaying: "transpose=cclock")
        public static let oneEighty = Turn(tag: 180, storing: "hflip,vflip", displaying: "hflip,vflip")
        public static let twoSeventy = Turn(tag: 270, storing: "transpose=cclock", displaying: "transpose=clock")
        public static let all = [ninety, oneEighty, twoSeventy]
    }

    /// A 2 s, 10 fps H.264 MP4 at `folder/name` whose displayed pictures are those of
    /// `VideoFixtures.make(..., codec: VideoFixtures.h264, filter: filter)`, stored turned by `turn`.
    public static func make(
        _ name: String, in folder: URL, turn: Turn, filter: String = VideoFixtures.panning, audio: Bool = false
    ) throws -> String {
        let stored = try VideoFixtures.make(
            "stored-" + name, in: folder, codec: VideoFixtures.h264, filter: filter + "," + turn.storing, audio: audio)
        defer { try? FileManager.default.removeItem(atPath: stored) }
        let output = folder.appendingPathComponent(name).path
        try VideoFixtures.ffmpeg([
            "-i", stored, "-map", "0", "-c", "copy", "-metadata:s:v:0", "rotate=\(turn.tag)", output,
        ])
        return output
    }

    /// ffprobe's rotation of the first video stream's display matrix (degrees), nil without one.
    public static func probeRotation(_ path: String) throws -> Int? {
        let text = try VideoFixtures.run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "v:0", "-show_entries", "stream_side_data=rotation", "-of",
                "csv=p=0", path,
            ])
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The first `frames` pictures as the ffmpeg tool shows them (autorotated), packed rgb24.
    public static func displayedRGB(_ path: String, frames: Int = 1) throws -> [UInt8] {
        let output = path + ".shown.rgb"
        try VideoFixtures.ffmpeg(["-i", path, "-frames:v", "\(frames)", "-pix_fmt", "rgb24", "-f", "rawvideo", output])
        defer { try? FileManager.default.removeItem(atPath: output) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// Mean absolute difference of two byte arrays of the same length (nil otherwise).
    public static func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double? {
        guard a.count == b.count, !a.isEmpty else { return nil }
        var total = 0
        for (x, y) in zip(a, b) { total += abs(Int(x) - Int(y)) }
        return Double(total) / Double(a.count)
    }
}
