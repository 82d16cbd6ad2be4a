import FaceDetection
import TestSupport
import Testing

@Suite struct PriorBoxesTests {
    @Test(arguments: ["320x240", "640x480", "1280x960"])
    func matchGoldenPriorsBitForBit(size: String) throws {
        let manifest = try GoldenManifest.load()
        let entry = try #require(manifest.priors[size])
        let golden = try SharedData.readFloats(GoldenManifest.url(entry.path))
        let parts = size.split(separator: "x").compactMap { Int($0) }
        let priors = PriorBoxes(inputWidth: parts[0], inputHeight: parts[1])
        #expect(priors.count == entry.shape[0])
        #expect(priors.values.count == golden.count)
        let mismatches = zip(priors.values, golden).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(mismatches == 0)
    }

    @Test func countsFollowTheFeatureMaps() {
        // 160x120: maps 20x15, 10x8, 5x4, 3x2 -> 300*3 + 80*2 + 20*2 + 6*3.
        #expect(PriorBoxes(inputWidth: 160, inputHeight: 120).count == 900 + 160 + 40 + 18)
    }
}
