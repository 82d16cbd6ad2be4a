import DetectionSinks
import Foundation
import TestSupport
import Testing

/// `facestream detect` on real video made with the real ffmpeg during the run.
@Suite struct DetectVideoTests {
    /// The exact conversion facestream uses (identical bytes to its swscale setup).
    static let swsFlags = "bilinear+accurate_rnd+full_chroma_int+bitexact"

    func records(_ text: String) throws -> [DetectionRecord] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(DetectionRecord.self, from: Data($0.utf8)) }
    }

    @Test func everyFrameOfAnMP4WithAudioGivesOneLineInOrderWithTimestamps() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-video")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264, audio: true)
        let result = try FaceStreamBinary.run(["detect", clip])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try records(result.stdout)
        let probed = try VideoFixtures.probeTimestamps(clip)
        #expect(lines.count == probed.count && lines.count == 20)
        #expect(lines.map(\.frame) == Array(0..<lines.count))
        for (line, pts) in zip(lines, probed) {
            #expect(abs((line.pts ?? -1) - (pts ?? -2)) < 1e-6)
            #expect(line.width == 320 && line.height == 240 && line.ts == nil)
            #expect(!line.faces.isEmpty)
        }
        // One summary line on stderr (not a terminal: no progress line).
        let summary = result.stderr.split(separator: "\n")
        #expect(summary.count == 1 && summary[0].contains("20 frames, 20 analysed"), "\(result.stderr)")
    }

    @Test func detectionsOnVideoFramesEqualDetectionsOnTheSameFramesAsImages() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-frames")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.webm", in: dir, codec: VideoFixtures.vp9)
        // The same frames, converted with the same swscale flags, as lossless PNG files.
        let pattern = dir.appendingPathComponent("frame-%02d.png").path
        try VideoFixtures.ffmpeg([
            "-i", clip, "-sws_flags", Self.swsFlags, "-pix_fmt", "rgb24", "-start_number", "0", pattern,
        ])
        let video = try FaceStreamBinary.run(["detect", "--every", "4", clip])
        #expect(video.status == 0, "\(video.stderr)")
        let frames = try records(video.stdout)
        #expect(frames.map(\.frame) == [0, 4, 8, 12, 16])
        let pngs = frames.map { String(format: pattern, $0.frame) }
        let photos = try FaceStreamBinary.run(["detect"] + pngs)
        #expect(photos.status == 0, "\(photos.stderr)")
        let images = try records(photos.stdout)
        try #require(images.count == frames.count)
        for (frame, image) in zip(frames, images) {
            #expect(frame.faces == image.faces, "frame \(frame.frame)")
        }
    }

    @Test func standardInputPipeOnlyFacesAndFrameRateCap() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-pipe")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Frames 0-9 show the photo, 10-19 are black: --only-faces must keep only the first half.
        let clip = dir.appendingPathComponent("half.ts").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-t", "1", "-r", "10", "-i", VideoFixtures.photo, "-f", "lavfi", "-i",
            "color=black:s=450x344:r=10:d=1",
            "-filter_complex", "[0:v]scale=450:344,setsar=1[a];[1:v]setsar=1[b];[a][b]concat=n=2:v=1[v]", "-map", "[v]",
            "-c:v", "libx264", "-threads", "1", "-pix_fmt", "yuv420p", "-f", "mpegts", clip,
        ])
        let shell = try ProcessRunner.run(
            "/bin/sh", ["-c", "\"$0\" detect --only-faces --fps 5 - < \"$1\"", FaceStreamBinary.path, clip],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path])
        #expect(shell.status == 0, "\(shell.stderr)")
        let lines = try records(shell.stdout)
        #expect(lines.allSatisfy { $0.source == "-" && !$0.faces.isEmpty })
        // 5 of 10 face frames at 5 fps of 10 fps video.
        #expect(lines.count == 5, "\(lines.map(\.frame))")
        #expect(lines.allSatisfy { $0.frame < 10 })
    }

    @Test func frameRateCapAnalysesTheSameFramesAsEveryNthOnAClipWithBFrames() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-capped")
        defer { try? FileManager.default.removeItem(at: dir) }
        // 30 fps with libx264's default B-frames: --fps 5 passes over five frames in six in the
        // source (non-reference B-frames are not even decoded); --every 6 decodes and hands on all.
        let clip = dir.appendingPathComponent("clip30.mp4").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", VideoFixtures.photo, "-t", "3", "-r", "30", "-vf", VideoFixtures.panning,
            "-c:v", "libx264", "-threads", "1", "-bf", "3", "-pix_fmt", "yuv420p", clip,
        ])
        let capped = try FaceStreamBinary.run(["detect", "--fps", "5", clip])
        let every = try FaceStreamBinary.run(["detect", "--every", "6", clip])
        #expect(capped.status == 0 && every.status == 0, "\(capped.stderr) \(every.stderr)")
        #expect(try records(capped.stdout).map(\.frame) == Array(stride(from: 0, to: 90, by: 6)))
        #expect(capped.stdout == every.stdout)
        #expect(capped.stderr.contains("90 frames, 15 analysed"), "\(capped.stderr)")
    }

    @Test func damagedVideoIsDecodedAsFarAsPossibleWithOneWarning() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-damaged")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("cut.mp4", in: dir, codec: VideoFixtures.h264)
        try VideoFixtures.truncate(clip, toFraction: 0.6)
        let result = try FaceStreamBinary.run(["detect", clip])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try records(result.stdout)
        #expect(lines.count > 0 && lines.count < 20)
        #expect(result.stderr.contains("corrupt"))
    }

    @Test func videoWithoutPicturesAndMissingStreamsFailOneLineEach() throws {
        let dir = try ProcessRunner.temporaryDirectory("detect-novideo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let audio = dir.appendingPathComponent("tone.m4a").path
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", audio])
        let refused = "tcp://127.0.0.1:9"  // discard port: nothing listens there
        let result = try FaceStreamBinary.run(["detect", audio, refused, VideoFixtures.photo])
        #expect(result.status == 1)
        #expect(try records(result.stdout).map(\.source) == [VideoFixtures.photo])
        let errors = result.stderr.split(separator: "\n").filter { $0.contains("error") }
        #expect(errors.count == 2, "\(result.stderr)")
        #expect(errors.contains { $0.contains(audio) } && errors.contains { $0.contains(refused) })
    }
}
