import FFmpegMedia
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
import VideoCore

/// With a sampling convert stage (`FrameConversion.sampled`), yuv420p frames carry only the pixels of the grid, and each
/// equals the ffmpeg tool's swscale conversion of the whole frame at that place; other formats
/// still carry whole RGB pictures.
@Suite struct FFmpegVideoSourceSampledTests {
    static let logger = Logger(label: "test")

    /// Every third row and every fifth column, plus both borders (even and odd positions, and the
    /// first and last chroma lines and columns).
    struct EveryThirdRowFifthColumn: PictureSampler {
        func grid(width: Int, height: Int) -> SampleGrid {
            let rows = Array(Set(Array(stride(from: 0, to: height, by: 3)) + [1, height - 2, height - 1])).sorted()
            let columns = Array(Set(Array(stride(from: 0, to: width, by: 5)) + [1, width - 2, width - 1])).sorted()
            return SampleGrid(width: width, height: height, rows: rows, columns: columns)
        }

        func makeReduction(for grid: SampleGrid) -> (any SampleReduction)? { nil }
    }

    static let sampling = EveryThirdRowFifthColumn()

    /// The same grid, with a reduction that keeps the first sample row and counts its calls in the
    /// last byte, to see that the reduction made for the grid is the one reused (state kept).
    final class FirstRowWithCount: PictureSampler {
        let gridsSeen = Mutex<[SampleGrid]>([])

        func grid(width: Int, height: Int) -> SampleGrid { sampling.grid(width: width, height: height) }

        func makeReduction(for grid: SampleGrid) -> (any SampleReduction)? {
            gridsSeen.withLock { $0.append(grid) }
            return Reduction()
        }

        struct Reduction: SampleReduction {
            var calls: UInt8 = 0
            mutating func reduce(_ samples: RGBImage) -> RGBImage {
                calls &+= 1
                return RGBImage(
                    width: samples.width + 1, height: 1, pixels: samples.pixels[0..<samples.width * 3] + [calls, 0, 0])
            }
        }
    }

    static func source(_ path: String, sampler: any PictureSampler) throws -> FFmpegVideoSource {
        try FFmpegVideoSource(.file(path: path), conversion: .sampled(sampler), logger: logger)
    }

    static func checkEveryFrame(_ path: String, expectedFrames: Int) throws {
        let frames = try drain(source(path, sampler: sampling))
        #expect(frames.count == expectedFrames)
        let first = try #require(frames.first?.sampled)
        let (width, height) = (first.grid.width, first.grid.height)
        let references = try FFmpegVideoSourceYUV420Tests.referenceFrames(path, frameBytes: width * height * 3)
        #expect(references.count == frames.count)
        for (frame, reference) in zip(frames, references) {
            let sampled = try #require(frame.sampled)
            #expect(frame.yuv420 == nil)
            #expect(frame.size == (width, height))
            #expect(sampled.grid == sampling.grid(width: width, height: height))
            var expected = [UInt8]()
            for row in sampled.grid.rows {
                for column in sampled.grid.columns {
                    let offset = (row * width + column) * 3
                    expected += reference[offset..<offset + 3]
                }
            }
            #expect(sampled.pixels.pixels == expected, "frame \(frame.index)")
        }
    }

    @Test func everyFrameOfAnH264VideoIsSampledLikeTheFFmpegToolConvertsIt() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-sampled")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make(
            "h264.mp4", in: folder, codec: VideoFixtures.h264, filter: VideoFixtures.panning, audio: false)
        try Self.checkEveryFrame(path, expectedFrames: 20)
    }

    @Test(arguments: [(96, 64), (322, 178)])
    func noiseIsSampledLikeTheFFmpegToolConvertsIt(width: Int, height: Int) throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-sampled")
        defer { try? FileManager.default.removeItem(at: folder) }
        let frameCount = 3
        let path = try VideoFixtures.noiseYUV420(
            width: width, height: height, frames: frameCount, seed: UInt32(width * 31 + height * 17), in: folder)
        try Self.checkEveryFrame(path, expectedFrames: frameCount)
    }

    @Test func aReducerRunsOnEveryFrameOnceMadeForTheGrid() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-sampled")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make(
            "h264.mp4", in: folder, codec: VideoFixtures.h264, filter: VideoFixtures.panning, audio: false)
        let reducing = FirstRowWithCount()
        let frames = try drain(Self.source(path, sampler: reducing))
        let plain = try drain(Self.source(path, sampler: Self.sampling))
        #expect(frames.count == 20 && plain.count == 20)
        let grid = try #require(plain.first?.sampled?.grid)
        #expect(reducing.gridsSeen.withLock { $0 } == [grid])
        for (number, (frame, reference)) in zip(frames, plain).enumerated() {
            let reduced = try #require(frame.sampled)
            let samples = try #require(reference.sampled)
            #expect(reduced.isReduced && !samples.isReduced)
            #expect(reduced.grid == grid && frame.size == reference.size && frame.pts == reference.pts)
            let expected = Array(samples.pixels.pixels[0..<samples.pixels.width * 3]) + [UInt8(number + 1), 0, 0]
            #expect(reduced.pixels.pixels == expected, "frame \(frame.index)")
        }
    }

    @Test func formatsOtherThanYUV420PStillCarryWholeRGBPictures() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-sampled")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make("mjpeg.avi", in: folder, codec: VideoFixtures.mjpeg)
        let frames = try drain(Self.source(path, sampler: Self.sampling))
        #expect(frames.count == 20)
        let references = try FFmpegVideoSourceYUV420Tests.referenceFrames(path, frameBytes: 320 * 240 * 3)
        for (frame, reference) in zip(frames, references) {
            #expect(frame.sampled == nil)
            #expect(frame.image.pixels == reference, "frame \(frame.index)")
        }
    }
}
