import FFmpegMedia
import Foundation
import Logging
import TestSupport
import Testing
import VideoCore

/// A source told the analysis rate (`VideoSourceOptions.analysisRate`) hands on exactly the frames
/// the rate's slots pick from a full decode, with the same numbers, times and samples, and does
/// not decode the non-reference B-frames among the others.
@Suite struct FFmpegVideoSourcePassOverTests {
    static let logger = Logger(label: "test")
    static let sampling = FFmpegVideoSourceSampledTests.sampling

    /// A 3 s, 30 fps clip of the panning photo; `bFrames` 0 makes every frame a reference frame,
    /// 3 gives libx264's default pattern (B-pyramid: two of every four frames are non-reference).
    static func clip(in folder: URL, bFrames: Int) throws -> String {
        let output = folder.appendingPathComponent("clip-bf\(bFrames).mp4").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", VideoFixtures.photo, "-t", "3", "-r", "30", "-vf", VideoFixtures.panning,
            "-c:v", "libx264", "-threads", "1", "-bf", "\(bFrames)", "-g", "30", "-pix_fmt", "yuv420p", output,
        ])
        return output
    }

    static func pictureTypes(_ path: String) throws -> [Substring] {
        try VideoFixtures.run(
            "ffprobe", ["-v", "error", "-show_entries", "frame=pict_type", "-of", "csv=p=0", path]
        ).split(whereSeparator: \.isNewline).map { $0.prefix(1) }
    }

    static func source(_ path: String, rate: Double?, threads: Int) throws -> FFmpegVideoSource {
        var options = VideoSourceOptions(decoderThreads: threads)
        options.analysisRate = rate.map { RateSlots(framesPerSecond: $0) }
        return try FFmpegVideoSource(
            .file(path: path), options: options, conversion: .sampled(sampling), logger: logger)
    }

    /// Decodes everything, picks with the slots, and compares with what the told source hands on.
    static func check(bFrames: Int, threads: Int) throws -> SourceStatistics {
        let folder = try ProcessRunner.temporaryDirectory("facestream-passover")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try clip(in: folder, bFrames: bFrames)
        let types = try pictureTypes(path)
        #expect(types.count == 90)
        #expect(types.contains("B") == (bFrames > 0), "\(types)")
        let every = try drain(source(path, rate: nil, threads: threads))
        #expect(every.map(\.index) == Array(0..<90))
        var selector = RateSelector(RateSlots(framesPerSecond: 5))
        let expected = every.filter { selector.takes(time: $0.pts) }
        // 30 fps at 5 a second: the first frame of every sixth of a second.
        #expect(expected.map(\.index) == Array(stride(from: 0, to: 90, by: 6)))
        let told = try source(path, rate: 5, threads: threads)
        let handedOn = try drain(told)
        #expect(handedOn.map(\.index) == expected.map(\.index))
        #expect(handedOn.map(\.pts) == expected.map(\.pts))
        for (frame, reference) in zip(handedOn, expected) {
            #expect(frame.sampled?.pixels.pixels == reference.sampled?.pixels.pixels, "frame \(frame.index)")
        }
        let statistics = told.statistics
        #expect(statistics.framesDecoded == expected.count)
        #expect(statistics.framesPassedOver == every.count - expected.count)
        return statistics
    }

    @Test(arguments: [1, 2])
    func theFramesOfEachSlotAreHandedOnAndNonReferenceOnesAreNotDecoded(threads: Int) throws {
        let statistics = try Self.check(bFrames: 3, threads: threads)
        // Of the 75 frames passed over, the non-reference B-frames (about half) were skipped.
        #expect(statistics.framesNotDecoded > 20, "\(statistics)")
        #expect(statistics.framesNotDecoded < statistics.framesPassedOver)
    }

    @Test func withoutBFramesEveryFrameIsDecodedAndTheSameFramesAreHandedOn() throws {
        let statistics = try Self.check(bFrames: 0, threads: 1)
        #expect(statistics.framesNotDecoded == 0)
    }
}
