import Foundation
import TestSupport
import Testing

/// `facestream detect --annotate OUT` through the real binary, checked with the real ffprobe/ffmpeg.
@Suite struct AnnotateTests {
    /// `ffprobe` entries of the file's streams of `kind` ("v:0", "a"), one dictionary per stream.
    static func streams(_ path: String, _ kind: String, _ entries: String, countFrames: Bool = false) throws
        -> [[String: String]]
    {
        let text = try VideoFixtures.run(
            "ffprobe",
            ["-v", "error"] + (countFrames ? ["-count_frames"] : []) + [
                "-select_streams", kind, "-show_entries", "stream=\(entries)", "-of", "compact=p=0:nk=0", path,
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

    static func audioChecksum(_ path: String) throws -> String {
        try VideoFixtures.run(
            "ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:a", "-c", "copy", "-f", "md5", "-"]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func annotatedCopyKeepsEveryFrameTheDurationAndTheAudio() throws {
        let dir = try ProcessRunner.temporaryDirectory("annotate-audio")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264, audio: true)
        let out = dir.appendingPathComponent("annotated.mp4").path
        let result = try FaceStreamBinary.run(["detect", "--annotate", out, clip])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")

        let videoEntries = "nb_read_frames,duration,start_time"
        let source = try #require(try Self.streams(clip, "v:0", videoEntries, countFrames: true).first)
        let annotated = try #require(try Self.streams(out, "v:0", videoEntries, countFrames: true).first)
        #expect(annotated["nb_read_frames"] == source["nb_read_frames"] && source["nb_read_frames"] == "20")
        let duration = (Double(annotated["duration"] ?? "") ?? -1, Double(source["duration"] ?? "") ?? 1)
        #expect(abs(duration.0 - duration.1) < 0.11, "\(duration)")

        let audioEntries = "codec_name,sample_rate,channels,duration"
        let sourceAudio = try Self.streams(clip, "a", audioEntries)
        let annotatedAudio = try Self.streams(out, "a", audioEntries)
        try #require(annotatedAudio.count == 1 && sourceAudio.count == 1, "\(annotatedAudio)")
        for key in ["codec_name", "sample_rate", "channels"] {
            #expect(annotatedAudio[0][key] == sourceAudio[0][key], "\(key)")
        }
        let audioDuration = (
            Double(annotatedAudio[0]["duration"] ?? "") ?? -1, Double(sourceAudio[0]["duration"] ?? "") ?? 1
        )
        #expect(abs(audioDuration.0 - audioDuration.1) < 0.1, "\(audioDuration)")
        #expect(try Self.audioChecksum(out) == Self.audioChecksum(clip))
    }
}
