import FrameProcessing
import Testing
import VideoCore

/// The quality that picks a track's best snapshot: sharper, larger and higher-scoring sightings
/// of the same face rank higher; RGB pictures and 4:2:0 planes of the same picture agree.
@Suite struct SnapshotQualityTests {
    static func face(_ box: BoundingBox, score: Float = 0.95) -> Detection {
        Detection(box: box, score: score, classIndex: 1, label: "face")
    }

    @Test func aBlurredPictureOfTheFaceRanksBelowTheSharpOne() throws {
        let photo = try SnapshotPictures.photo()
        let blurred = SnapshotPictures.blurred(photo)
        let face = Self.face(SnapshotPictures.leftFace)
        let sharp = try #require(SnapshotQuality.of(face, in: .rgb(photo)))
        let soft = try #require(SnapshotQuality.of(face, in: .rgb(blurred)))
        #expect(sharp > soft + 0.05, "sharp \(sharp), blurred \(soft)")
        // The same ranking from the luma plane of a video picture.
        let sharpPlanes = try #require(SnapshotQuality.of(face, in: .yuv420(SnapshotPictures.planes(photo))))
        let softPlanes = try #require(SnapshotQuality.of(face, in: .yuv420(SnapshotPictures.planes(blurred))))
        #expect(sharpPlanes > softPlanes + 0.05)
    }

    @Test func scoreAndSizeCountAndQualityStaysWithinZeroToOne() throws {
        let photo = try SnapshotPictures.photo()
        let box = SnapshotPictures.leftFace
        let high = try #require(SnapshotQuality.of(Self.face(box, score: 0.99), in: .rgb(photo)))
        let low = try #require(SnapshotQuality.of(Self.face(box, score: 0.75), in: .rgb(photo)))
        #expect(high > low)
        // The same face seen half as large (the box of a face 32 px wide in a flat grey picture).
        let grey = RGBImage(width: 200, height: 200, pixels: Array(repeating: 128, count: 200 * 200 * 3))
        let small = try #require(
            SnapshotQuality.of(Self.face(BoundingBox(x1: 10, y1: 10, x2: 42, y2: 42)), in: .rgb(grey)))
        let large = try #require(
            SnapshotQuality.of(Self.face(BoundingBox(x1: 10, y1: 10, x2: 130, y2: 130)), in: .rgb(grey)))
        #expect(large > small)
        #expect((0...1).contains(high) && (0...1).contains(small))
    }

    @Test func sampledPixelsGiveNoQuality() {
        let grid = SampleGrid(width: 64, height: 48, rows: [0, 1], columns: [0, 1])
        let pixels = RGBImage(width: 2, height: 2, pixels: Array(repeating: 0, count: 12))
        let sampled = FramePixels.sampled(SampledPicture(grid: grid, pixels: pixels))
        #expect(SnapshotQuality.of(Self.face(BoundingBox(x1: 0, y1: 0, x2: 30, y2: 30)), in: sampled) == nil)
    }
}
