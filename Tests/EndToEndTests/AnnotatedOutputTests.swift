import DetectionSinks
import Foundation
import TestSupport
import Testing

/// `--annotate`: the written video has the source's frames and timing, and the faces are really
/// hidden (checked on decoded pixels of the output against the source).
@Suite struct AnnotatedOutputTests {
    struct Region {
        var x1: Int, y1: Int, x2: Int, y2: Int
    }

    /// Mean and variance of the luma-ish grey level inside `region` of a packed RGB frame.
    func statistics(_ rgb: [UInt8], width: Int, region: Region) -> (mean: Double, variance: Double) {
        var values: [Double] = []
        for y in region.y1..<region.y2 {
            for x in region.x1..<region.x2 {
                let i = (y * width + x) * 3
                values.append((Double(rgb[i]) + Double(rgb[i + 1]) + Double(rgb[i + 2])) / 3)
            }
        }
        let mean = values.reduce(0, +) / Double(values.count)
        return (mean, values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count))
    }

    /// Mean absolute difference between horizontal neighbours: detail that blurring and
    /// pixelation remove (pixelated blocks keep their colours, so variance alone would not tell).
    func roughness(_ rgb: [UInt8], width: Int, region: Region) -> Double {
        var total = 0.0
        var count = 0.0
        for y in region.y1..<region.y2 {
            for x in region.x1..<(region.x2 - 1) {
                for c in 0..<3 {
                    total += abs(Double(rgb[(y * width + x) * 3 + c]) - Double(rgb[(y * width + x + 1) * 3 + c]))
                    count += 1
                }
            }
        }
        return total / count
    }

    @Test(arguments: ["blur", "pixelate", "solid", "box"])
    func facesAreHiddenAndTheRestOfTheVideoIsKept(style: String) throws {
        let dir = try ProcessRunner.temporaryDirectory("annotate-\(style)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.mp4", in: dir, codec: VideoFixtures.h264)
        let out = dir.appendingPathComponent("out.mkv").path
        let result = try FaceStreamBinary.run(["detect", "--every", "4", "--annotate", out, "--style", style, clip])
        #expect(result.status == 0, "\(result.stderr)")
        let first = try JSONDecoder().decode(
            DetectionRecord.self, from: Data(result.stdout.split(separator: "\n")[0].utf8))
        let face = try #require(first.faces.first)
        // Same frames and timing as the source.
        #expect(try VideoFixtures.probeSize(out) == (320, 240))
        let sourceTimes = try VideoFixtures.probeTimestamps(clip)
        let outputTimes = try VideoFixtures.probeTimestamps(out)
        #expect(outputTimes.count == sourceTimes.count)
        for (a, b) in zip(sourceTimes, outputTimes) { #expect(abs((a ?? -1) - (b ?? -2)) < 0.002) }
        // Pixels: inside the (shrunk) face box vs the source, and a region away from the faces.
        let source = try VideoFixtures.referenceRGB(clip, swsFlags: nil)
        let written = try VideoFixtures.referenceRGB(out, swsFlags: nil)
        let inner = Region(
            x1: Int(face.box[0]) + 6, y1: Int(face.box[1]) + 6, x2: Int(face.box[2]) - 6, y2: Int(face.box[3]) - 6)
        let before = statistics(source, width: 320, region: inner)
        let after = statistics(written, width: 320, region: inner)
        switch style {
        case "solid": #expect(after.mean < 25)
        case "blur", "pixelate":
            let detailBefore = roughness(source, width: 320, region: inner)
            let detailAfter = roughness(written, width: 320, region: inner)
            #expect(detailAfter < detailBefore * 0.5, "\(detailBefore) -> \(detailAfter)")
        default: #expect(abs(after.mean - before.mean) < 8)  // box: the inside stays visible
        }
        // Far from every face (the bottom-left corner shows a suit): only encoder noise.
        let elsewhere = Region(x1: 0, y1: 200, x2: 40, y2: 240)
        #expect(
            abs(
                statistics(written, width: 320, region: elsewhere).mean
                    - statistics(source, width: 320, region: elsewhere).mean) < 6)
    }
}
