import Foundation
import TestSupport
import Testing

/// `detect --annotate` on a source whose first stream is audio (video second) and which has a title
/// tag: every picture analysed, the audio and the title carried over (real ffmpeg and ffprobe).
/// Subtitles and chapters: `FFmpegVideoWriterStreamsTests`.
@Suite struct AnnotateStreamsTests {
    @Test func audioFirstSourceKeepsItsAudioAndTitle() throws {
        let dir = try ProcessRunner.temporaryDirectory("annotate-streams")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = dir.appendingPathComponent("audio-first.mkv").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", VideoFixtures.photo, "-f", "lavfi", "-i", "sine=frequency=440", "-map", "1:a", "-map",
            "0:v", "-t", "2", "-r", "10", "-vf", VideoFixtures.panning, "-c:v", "libx264", "-threads", "1",
            "-pix_fmt", "yuv420p", "-c:a", "libvorbis", "-metadata", "title=Meeting", clip,
        ])
        let first = try VideoFixtures.run(
            "ffprobe", ["-v", "error", "-show_entries", "stream=index,codec_type", "-of", "csv=p=0", clip])
        #expect(first.hasPrefix("0,audio"), "\(first)")
        let out = dir.appendingPathComponent("annotated.mkv").path
        let result = try FaceStreamBinary.run(["detect", "--annotate", out, clip])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 20)
        let video = try VideoFixtures.probeStreams(out, select: "v", entries: "nb_read_frames", countFrames: true)
        #expect(video.count == 1 && video.first?["nb_read_frames"] == "20", "\(video)")
        #expect(try VideoFixtures.audioChecksum(out) == VideoFixtures.audioChecksum(clip))
        let title = try VideoFixtures.run(
            "ffprobe", ["-v", "error", "-show_entries", "format_tags=title", "-of", "csv=p=0", out])
        #expect(title.trimmingCharacters(in: .whitespacesAndNewlines) == "Meeting")
    }
}
