import FFmpegMedia
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
import VideoCore

/// Audio copied from the source file by `FFmpegVideoWriter(audioSource:)`, checked with the real
/// `ffprobe` and the real `ffmpeg`'s packet checksum (the oracle: both files' audio packets).
@Suite struct FFmpegVideoWriterAudioTests {
    /// Keeps the messages logged at warning level or above.
    final class Recorder: Sendable {
        let lines = Mutex<[String]>([])
        var logger: Logger { Logger(label: "audio-test") { _ in RecordingHandler(recorder: self) } }
        var warnings: [String] { lines.withLock { $0 } }
    }

    struct RecordingHandler: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { recorder.lines.withLock { $0.append("\(event.message)") } }
    }

    /// ffprobe's facts about each audio stream (codec_name, sample_rate, channels, start_time, duration).
    static func audioStreams(_ path: String) throws -> [[String: String]] {
        try VideoFixtures.probeStreams(
            path, select: "a", entries: "codec_name,sample_rate,channels,start_time,duration")
    }

    /// Start time of the first video stream per ffprobe.
    static func videoStart(_ path: String) throws -> Double {
        let text = try VideoFixtures.run(
            "ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=start_time", "-of", "csv=p=0", path])
        return Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Decodes `source` and writes every picture, at its own `pts`, into `output` with the source's audio.
    static func annotate(_ source: String, to output: String, logger: Logger) throws -> FFmpegVideoWriter {
        let frames = try drain(FFmpegVideoSource(.file(path: source), logger: logger))
        try #require(!frames.isEmpty)
        let writer = try FFmpegVideoWriter(
            path: output, width: frames[0].image.width, height: frames[0].image.height, frameRate: 10,
            audioSource: source, logger: logger)
        for frame in frames { try writer.write(frame.image, pts: frame.pts) }
        try writer.finish()
        #expect(writer.framesWritten == frames.count)
        return writer
    }

    static var hasVP9: Bool {
        (try? VideoFixtures.run("ffmpeg", ["-hide_banner", "-encoders"]))?.contains("libvpx-vp9") ?? false
    }

    @Test func aacInMP4IsCopiedPacketForPacket() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-audio")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try VideoFixtures.make("source.mp4", in: folder, codec: VideoFixtures.h264, audio: true)
        let output = folder.appendingPathComponent("annotated.mp4").path
        let recorder = Recorder()
        let writer = try Self.annotate(source, to: output, logger: recorder.logger)
        #expect(writer.audioStreamsCopied == 1 && writer.audioStreamsSkipped.isEmpty)
        #expect(recorder.warnings.isEmpty, "\(recorder.warnings)")

        let theirs = try Self.audioStreams(source)
        let ours = try Self.audioStreams(output)
        try #require(theirs.count == 1 && ours.count == 1, "\(ours)")
        for key in ["codec_name", "sample_rate", "channels"] { #expect(ours[0][key] == theirs[0][key], "\(key)") }
        #expect(ours[0]["codec_name"] == "aac")
        let duration = (Double(ours[0]["duration"] ?? "") ?? -1, Double(theirs[0]["duration"] ?? "") ?? 1)
        #expect(abs(duration.0 - duration.1) < 0.1, "\(duration)")
        let start = (Double(ours[0]["start_time"] ?? "") ?? -1, Double(theirs[0]["start_time"] ?? "") ?? 1)
        #expect(abs(start.0 - start.1) < 0.001, "\(start)")
        #expect(try VideoFixtures.audioChecksum(output) == VideoFixtures.audioChecksum(source))
        #expect(try FFmpegVideoWriterTests.probe(output).frames == 20)
    }

    /// A run stopped after 5 of 20 pictures (0.5 s) gets 0.5 s of audio, not the source's 2 s.
    @Test func anEarlyStopCutsTheAudioAtTheLastPicture() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-audio")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try VideoFixtures.make(
            "source.mkv", in: folder, codec: ["-c:v", "mjpeg", "-c:a", "libvorbis"], audio: true)
        let output = folder.appendingPathComponent("stopped.mkv").path
        let recorder = Recorder()
        let frames = try drain(FFmpegVideoSource(.file(path: source), logger: recorder.logger))
        let writer = try FFmpegVideoWriter(
            path: output, width: 320, height: 240, frameRate: 10, audioSource: source, logger: recorder.logger)
        for frame in frames.prefix(5) { try writer.write(frame.image, pts: frame.pts) }
        try writer.finish()
        let text = try VideoFixtures.run(
            "ffprobe",
            ["-v", "error", "-select_streams", "a", "-show_entries", "packet=pts_time", "-of", "csv=p=0", output])
        let times = text.split(whereSeparator: \.isNewline).compactMap { Double($0) }
        try #require(!times.isEmpty)
        #expect(times.max()! <= 0.5 + 1e-6 && times.max()! > 0.4, "last audio packet at \(times.max()!)")
        #expect(recorder.warnings.isEmpty, "\(recorder.warnings)")
    }

    @Test func aSourceWithoutAudioGivesVideoOnlyWithoutWarnings() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-audio")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try VideoFixtures.make("silent.mp4", in: folder, codec: VideoFixtures.h264)
        let output = folder.appendingPathComponent("annotated.mkv").path
        let recorder = Recorder()
        let writer = try Self.annotate(source, to: output, logger: recorder.logger)
        #expect(writer.audioStreamsCopied == 0 && writer.audioStreamsSkipped.isEmpty)
        #expect(recorder.warnings.isEmpty, "\(recorder.warnings)")
        #expect(try Self.audioStreams(output).isEmpty)
        #expect(try FFmpegVideoWriterTests.probe(output).frames == 20)
    }

    /// Opus (and Vorbis) in Matroska go into WebM; a source starting at 1.5 s keeps its offset, so
    /// audio and pictures stay as far apart as in the source, or as in FFmpeg's own stream copy
    /// (`ffmpeg -c copy`): FFmpeg 5.1's Matroska muxer moves copied Opus by its codec delay (6.5 ms).
    @Test(arguments: ["libopus", "libvorbis"])
    func opusAndVorbisGoIntoWebMWithTheSourceOffset(encoder: String) throws {
        if !Self.hasVP9 { return }
        let folder = try ProcessRunner.temporaryDirectory("facestream-audio")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try VideoFixtures.make(
            "source.mkv", in: folder,
            codec: VideoFixtures.h264.filter { $0 != "-movflags" && $0 != "+faststart" } + [
                "-c:a", encoder, "-output_ts_offset", "1.5",
            ], audio: true)
        let output = folder.appendingPathComponent("annotated.webm").path
        let recorder = Recorder()
        let writer = try Self.annotate(source, to: output, logger: recorder.logger)
        #expect(writer.audioStreamsCopied == 1)
        #expect(recorder.warnings.isEmpty, "\(recorder.warnings)")
        let theirs = try Self.audioStreams(source)
        let ours = try Self.audioStreams(output)
        try #require(ours.count == 1, "\(ours)")
        for key in ["codec_name", "sample_rate", "channels"] { #expect(ours[0][key] == theirs[0][key], "\(key)") }
        #expect(try VideoFixtures.audioChecksum(output) == VideoFixtures.audioChecksum(source))
        let reference = folder.appendingPathComponent("ffmpeg-copy.mkv").path
        try VideoFixtures.ffmpeg(["-i", source, "-c", "copy", reference])
        let copied = try #require(try Self.audioStreams(reference).first)
        let theirOffset = (Double(theirs[0]["start_time"] ?? "") ?? 0) - (try Self.videoStart(source))
        let copyOffset = (Double(copied["start_time"] ?? "") ?? 0) - (try Self.videoStart(reference))
        let ourOffset = (Double(ours[0]["start_time"] ?? "") ?? 9) - (try Self.videoStart(output))
        #expect(try Self.videoStart(output) > 1.4)
        #expect(abs(ourOffset - copyOffset) < 0.002, "audio-video offset \(ourOffset) vs ffmpeg's copy \(copyOffset)")
        #expect(abs(ourOffset - theirOffset) < 0.008, "audio-video offset \(ourOffset) vs source \(theirOffset)")
    }

    /// WebM cannot hold AAC: the stream is left out with one warning (no re-encoding), the video is kept.
    @Test func aacIntoWebMIsLeftOutWithOneWarning() throws {
        if !Self.hasVP9 { return }
        let folder = try ProcessRunner.temporaryDirectory("facestream-audio")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try VideoFixtures.make("source.mp4", in: folder, codec: VideoFixtures.h264, audio: true)
        let output = folder.appendingPathComponent("annotated.webm").path
        let recorder = Recorder()
        let writer = try Self.annotate(source, to: output, logger: recorder.logger)
        #expect(writer.audioStreamsCopied == 0)
        #expect(writer.audioStreamsSkipped == ["#1 aac"])
        #expect(recorder.warnings.count == 1)
        #expect(recorder.warnings.first?.contains("aac") == true, "\(recorder.warnings)")
        #expect(try Self.audioStreams(output).isEmpty)
        #expect(try FFmpegVideoWriterTests.probe(output).frames == 20)
    }

    @Test func anUnreadableAudioSourceWarnsAndKeepsTheVideo() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-audio")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("annotated.mp4").path
        let recorder = Recorder()
        let picture = try FFmpegVideoWriterTests.pictures()[0]
        let writer = try FFmpegVideoWriter(
            path: output, width: 320, height: 240, frameRate: 10,
            audioSource: folder.appendingPathComponent("gone.mp4").path,
            logger: recorder.logger)
        for index in 0..<5 { try writer.write(picture, pts: Double(index) / 10) }
        try writer.finish()
        #expect(recorder.warnings.count == 1 && recorder.warnings[0].contains("without audio"), "\(recorder.warnings)")
        #expect(try FFmpegVideoWriterTests.probe(output).frames == 5)
    }
}
