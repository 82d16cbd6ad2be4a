import Foundation

/// Videos made during the test run with the real `ffmpeg` from a shared photo, and facts about
/// them read back with the real `ffprobe` (the oracle for frame counts and timestamps).
public enum VideoFixtures {
    public struct ToolFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The photo every video is made from (450x344).
    public static var photo: String { SharedData.images.appendingPathComponent("imgs/13.jpg").path }
    /// A 320x240 window panning across the photo, so consecutive frames differ (real P-frames).
    public static let panning = "crop=320:240:'min(t*40,130)':'min(t*30,104)'"

    /// Runs a tool found on `$PATH`; returns its stdout; throws with its stderr when it fails.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try ProcessRunner.run("/usr/bin/env", [tool] + arguments)
        guard result.status == 0 else {
            throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout
    }

    /// Runs ffmpeg quietly, overwriting its output.
    public static func ffmpeg(_ arguments: [String]) throws {
        try run("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + arguments)
    }

    /// A 2 s, 10 fps video of the panning photo at `folder/name` with `codec` options.
    public static func make(
        _ name: String, in folder: URL, codec: [String], filter: String = panning, audio: Bool = false
    ) throws -> String {
        let output = folder.appendingPathComponent(name).path
        var arguments = ["-loop", "1", "-i", photo]
        if audio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440"] }
        arguments += ["-t", "2", "-r", "10", "-vf", filter] + codec
        try ffmpeg(arguments + [output])
        return output
    }

    public static let h264 = [
        "-c:v", "libx264", "-threads", "1", "-pix_fmt", "yuv420p", "-g", "5", "-c:a", "aac", "-movflags", "+faststart",
    ]
    public static let vp9 = ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"]
    public static let mjpeg = ["-c:v", "mjpeg", "-q:v", "3"]

    /// Best-effort timestamps (seconds) of the video frames as ffprobe decodes them.
    public static func probeTimestamps(_ path: String) throws -> [Double?] {
        let text = try run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time", "-of",
                "csv=p=0", path,
            ])
        return text.split(whereSeparator: \.isNewline).map {
            Double($0.trimmingCharacters(in: CharacterSet(charactersIn: ", ")))
        }
    }

    /// Width and height of the first video stream per ffprobe.
    public static func probeSize(_ path: String) throws -> (width: Int, height: Int) {
        let text = try run(
            "ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path])
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        guard parts.count == 2 else { throw ToolFailure(description: "ffprobe size of \(path): \(text)") }
        return (parts[0], parts[1])
    }

    /// The first frame as packed RGB24 converted by the ffmpeg tool, with `swsFlags` when given.
    public static func referenceRGB(_ path: String, swsFlags: String?) throws -> [UInt8] {
        let output = path + ".rgb"
        try ffmpeg(
            ["-i", path] + (swsFlags.map { ["-sws_flags", $0] } ?? []) + [
                "-frames:v", "1", "-pix_fmt", "rgb24", "-f", "rawvideo", output,
            ])
        defer { try? FileManager.default.removeItem(atPath: output) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// ffprobe's `entries` (e.g. "codec_name,duration") of the streams `select` picks ("v:0", "a"),
    /// one dictionary per stream; `countFrames` also decodes to fill `nb_read_frames`.
    public static func probeStreams(_ path: String, select: String, entries: String, countFrames: Bool = false) throws
        -> [[String: String]]
    {
        let text = try run(
            "ffprobe",
            ["-v", "error"] + (countFrames ? ["-count_frames"] : []) + [
                "-select_streams", select, "-show_entries", "stream=\(entries)", "-of", "compact=p=0:nk=0", path,
            ])
        return text.split(whereSeparator: \.isNewline).map { line in
            var fields: [String: String] = [:]
            for pair in line.split(separator: "|") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            return fields
        }
    }

    /// MD5 of the audio packets' bytes as the real ffmpeg reads them (`-c copy -f md5`).
    /// A lossless yuv420p clip (`noise.nut`, rawvideo in NUT, 5 fps) of `frames` pictures of
    /// pseudo-random bytes (LCG seeded with `seed`): every value, so clipping and wrap-around
    /// corners of a YUV->RGB conversion are reached. Returns its path inside `folder`.
    public static func noiseYUV420(width: Int, height: Int, frames: Int, seed: UInt32, in folder: URL) throws -> String
    {
        var state = seed
        let bytes = (0..<(width * height * 3 / 2 * frames)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        let raw = folder.appendingPathComponent("noise.yuv").path
        try Data(bytes).write(to: URL(fileURLWithPath: raw))
        let path = folder.appendingPathComponent("noise.nut").path
        try ffmpeg([
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", "\(width)x\(height)", "-r", "5", "-i", raw,
            "-c:v", "rawvideo", "-pix_fmt", "yuv420p", path,
        ])
        return path
    }

    public static func audioChecksum(_ path: String) throws -> String {
        try run("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:a", "-c", "copy", "-f", "md5", "-"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Overwrites `count` bytes at `fraction` of the file with a fixed pseudo-random pattern.
    public static func overwrite(_ path: String, atFraction fraction: Double, count: Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let start = Int(Double(data.count) * fraction)
        var state: UInt32 = 0x9E37_79B9
        for offset in start..<min(data.count, start + count) {
            state = state &* 1_664_525 &+ 1_013_904_223
            data[offset] = UInt8(truncatingIfNeeded: state >> 24)
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Keeps only the first `fraction` of the file.
    public static func truncate(_ path: String, toFraction fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }
}
