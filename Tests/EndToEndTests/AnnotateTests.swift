import Foundation
import TestSupport
import Testing

/// `facestream detect --annotate OUT` through the real binary, checked with the real ffprobe/ffmpeg.
@Suite struct AnnotateTests {
    @Test func annotatedCopyKeepsEveryFrameTheDurationAndTheAudio() throws {
        let dir = try ProcessRunner.temporaryDirectory("annotate-audio")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264, audio: true)
        let out = dir.appendingPathComponent("annotated.mp4").path
        let result = try FaceStreamBinary.run(["detect", "--annotate", out, clip])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")

        let videoEntries = "nb_read_frames,duration,start_time"
        let source = try #require(
            try VideoFixtures.probeStreams(clip, select: "v:0", entries: videoEntries, countFrames: true).first)
        let annotated = try #require(
            try VideoFixtures.probeStreams(out, select: "v:0", entries: videoEntries, countFrames: true).first)
        #expect(annotated["nb_read_frames"] == source["nb_read_frames"] && source["nb_read_frames"] == "20")
        let duration = (Double(annotated["duration"] ?? "") ?? -1, Double(source["duration"] ?? "") ?? 1)
        #expect(abs(duration.0 - duration.1) < 0.11, "\(duration)")

        let audioEntries = "codec_name,sample_rate,channels,duration"
        let sourceAudio = try VideoFixtures.probeStreams(clip, select: "a", entries: audioEntries)
        let annotatedAudio = try VideoFixtures.probeStreams(out, select: "a", entries: audioEntries)
        try #require(annotatedAudio.count == 1 && sourceAudio.count == 1, "\(annotatedAudio)")
        for key in ["codec_name", "sample_rate", "channels"] {
            #expect(annotatedAudio[0][key] == sourceAudio[0][key], "\(key)")
        }
        let audioDuration = (
            Double(annotatedAudio[0]["duration"] ?? "") ?? -1, Double(sourceAudio[0]["duration"] ?? "") ?? 1
        )
        #expect(abs(audioDuration.0 - audioDuration.1) < 0.1, "\(audioDuration)")
        #expect(try VideoFixtures.audioChecksum(out) == VideoFixtures.audioChecksum(clip))
    }
}
