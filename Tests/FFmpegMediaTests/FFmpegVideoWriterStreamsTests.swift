import FFmpegMedia
import Foundation
import Logging
import TestSupport
import Testing
import VideoCore

/// Subtitles, chapters and tags copied with the audio (`FFmpegVideoWriter(audioSource:)`), and
/// sources whose first stream is audio; checked with the real ffprobe and ffmpeg.
@Suite struct FFmpegVideoWriterStreamsTests {
    typealias Recorder = FFmpegVideoWriterAudioTests.Recorder

    /// A 2 s clip with audio as stream 0, video second, a mov_text subtitle stream with two cues,
    /// two chapters and title and creation time tags.
    static func richSource(in folder: URL) throws -> String {
        let subtitles = folder.appendingPathComponent("cues.srt")
        try """
        1
        00:00:00,200 --> 00:00:00,900
        Hello there

        2
        00:00:01,000 --> 00:00:01,800
        Second line

        """.write(to: subtitles, atomically: true, encoding: .utf8)
        let metadata = folder.appendingPathComponent("meta.txt")
        try """
        ;FFMETADATA1
        title=Street walk

        [CHAPTER]
        TIMEBASE=1/1000
        START=0
        END=1000
        title=Start

        [CHAPTER]
        TIMEBASE=1/1000
        START=1000
        END=2000
        title=End

        """.write(to: metadata, atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("rich.mp4").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", VideoFixtures.photo, "-f", "lavfi", "-i", "sine=frequency=440", "-i", subtitles.path,
            "-i", metadata.path, "-map", "1:a", "-map", "0:v", "-map", "2:s", "-map_metadata", "3", "-map_chapters",
            "3",
            "-t", "2", "-r", "10", "-vf", VideoFixtures.panning, "-c:v", "libx264", "-threads", "1", "-pix_fmt",
            "yuv420p", "-c:a", "aac", "-c:s", "mov_text", "-metadata", "creation_time=2024-05-01T10:00:00Z", path,
        ])
        return path
    }

    /// ffprobe's view of a file: streams (type and codec), chapters (title and times), file tags.
    static func describe(_ path: String) throws -> (streams: [String], chapters: [String], tags: [String: String]) {
        let text = try VideoFixtures.run(
            "ffprobe",
            [
                "-v", "error", "-show_entries",
                "stream=codec_type,codec_name:format_tags:chapter=start_time,end_time:chapter_tags=title", "-of",
                "compact=p=1:nk=0", path,
            ])
        var streams: [String] = []
        var chapters: [String] = []
        var tags: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "|").map(String.init)
            let values = Dictionary(
                fields.dropFirst().compactMap { field -> (String, String)? in
                    let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
                    return parts.count == 2 ? (parts[0], parts[1]) : nil
                }, uniquingKeysWith: { first, _ in first })
            switch fields.first {
            case "stream": streams.append("\(values["codec_type"] ?? "?") \(values["codec_name"] ?? "?")")
            case "chapter":
                chapters.append(
                    "\(values["tag:title"] ?? "?") \(values["start_time"] ?? "?")-\(values["end_time"] ?? "?")")
            case "format":
                for (key, value) in values where key.hasPrefix("tag:") { tags[String(key.dropFirst(4))] = value }
            default: break
            }
        }
        return (streams, chapters, tags)
    }

    /// One subtitle cue: start and end in seconds, text.
    struct Cue {
        var start: Double
        var end: Double
        var text: String
    }

    /// The subtitle cues as the ffmpeg tool reads them back (converted to SubRip).
    static func cues(_ path: String) throws -> [Cue] {
        let text = try VideoFixtures.run(
            "ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:s:0", "-f", "srt", "-"])
        func seconds(_ stamp: Substring) -> Double {
            let parts = stamp.trimmingCharacters(in: .whitespaces).split(whereSeparator: { ":,".contains($0) })
                .compactMap { Double($0) }
            return parts.count == 4 ? parts[0] * 3600 + parts[1] * 60 + parts[2] + parts[3] / 1000 : -1
        }
        let lines = text.split(whereSeparator: \.isNewline)
        return lines.indices.compactMap { index in
            let times = lines[index].components(separatedBy: " --> ")
            guard times.count == 2, index + 1 < lines.count else { return nil }
            return Cue(
                start: seconds(Substring(times[0])), end: seconds(Substring(times[1])), text: String(lines[index + 1]))
        }
    }

    @Test func subtitlesChaptersAndTagsAreCopiedIntoMP4() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-streams")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Self.richSource(in: folder)
        let output = folder.appendingPathComponent("annotated.mp4").path
        let recorder = Recorder()
        let writer = try FFmpegVideoWriterAudioTests.annotate(source, to: output, logger: recorder.logger)
        #expect(writer.audioStreamsCopied == 1 && writer.subtitleStreamsCopied == 1)
        #expect(recorder.warnings.isEmpty, "\(recorder.warnings)")

        let theirs = try Self.describe(source)
        let ours = try Self.describe(output)
        // The MP4 muxer writes the chapters as a text track of its own ("data bin_data"), as in the source.
        #expect(ours.streams.sorted() == theirs.streams.sorted(), "\(ours.streams)")
        #expect(ours.streams.contains("subtitle mov_text"))
        #expect(ours.chapters == theirs.chapters && ours.chapters.count == 2, "\(ours.chapters)")
        #expect(ours.tags["title"] == "Street walk")
        #expect(ours.tags["creation_time"] == theirs.tags["creation_time"] && ours.tags["creation_time"] != nil)
        // Texts and start times (FFmpeg 5.1 reads no end times back from a fragmented MP4's text
        // track, even from its own stream copy; the README says so and recommends .mkv).
        let cues = try Self.cues(output)
        let original = try Self.cues(source)
        #expect(cues.map(\.text) == ["Hello there", "Second line"] && cues.map(\.text) == original.map(\.text))
        for (cue, wanted) in zip(cues, original) {
            #expect(abs(cue.start - wanted.start) < 0.05, "\(cue) vs \(wanted)")
        }
        #expect(try VideoFixtures.audioChecksum(output) == VideoFixtures.audioChecksum(source))
        #expect(try FFmpegVideoWriterTests.probe(output).frames == 20)
    }

    /// Matroska holds no mov_text: the subtitles are left out with one warning; audio and chapters stay.
    @Test func subtitlesTheContainerCannotHoldAreLeftOutWithOneWarning() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-streams")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Self.richSource(in: folder)
        let output = folder.appendingPathComponent("annotated.mkv").path
        let recorder = Recorder()
        let writer = try FFmpegVideoWriterAudioTests.annotate(source, to: output, logger: recorder.logger)
        let ours = try Self.describe(output)
        if writer.subtitleStreamsCopied == 0 {
            #expect(writer.audioStreamsSkipped == ["#2 mov_text"])
            #expect(recorder.warnings.count == 1 && recorder.warnings[0].contains("mov_text"), "\(recorder.warnings)")
            #expect(ours.streams.sorted() == ["audio aac", "video h264"], "\(ours.streams)")
        } else {
            // An FFmpeg whose Matroska muxer takes mov_text keeps it, without warnings.
            #expect(recorder.warnings.isEmpty, "\(recorder.warnings)")
        }
        #expect(ours.chapters.count == 2 && ours.tags["title"] == "Street walk", "\(ours)")
        #expect(try VideoFixtures.audioChecksum(output) == VideoFixtures.audioChecksum(source))
    }

    /// SubRip in Matroska is copied cue for cue.
    @Test func subRipInMatroskaIsCopied() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-streams")
        defer { try? FileManager.default.removeItem(at: folder) }
        let rich = try Self.richSource(in: folder)
        let source = folder.appendingPathComponent("rich.mkv").path
        try VideoFixtures.ffmpeg([
            "-i", rich, "-map", "0:v", "-map", "0:a", "-map", "0:s", "-c", "copy", "-c:s", "srt", source,
        ])
        let output = folder.appendingPathComponent("annotated.mkv").path
        let recorder = Recorder()
        let writer = try FFmpegVideoWriterAudioTests.annotate(source, to: output, logger: recorder.logger)
        #expect(writer.subtitleStreamsCopied == 1 && recorder.warnings.isEmpty, "\(recorder.warnings)")
        let cues = try Self.cues(output)
        let original = try Self.cues(source)
        #expect(cues.map(\.text) == ["Hello there", "Second line"] && cues.map(\.text) == original.map(\.text))
        for (cue, wanted) in zip(cues, original) {
            #expect(abs(cue.start - wanted.start) < 0.05 && abs(cue.end - wanted.end) < 0.05, "\(cue) vs \(wanted)")
        }
    }
}
