import FaceDetection
import TestSupport
import Testing

@Suite struct BoxDecoderTests {
    /// Raw-offset cases paired with the full model (post-processing inside the graph) on the same image.
    static let offsetCases = GoldenRawCase.identifiers.filter {
        $0.contains("-without-postprocessing/") || $0.contains("-simplified/")
    }

    @Test func thereAreOffsetCases() {
        #expect(Self.offsetCases.count == 24)
    }

    @Test(arguments: offsetCases)
    func decodedOffsetsMatchTheFullModel(identifier: String) throws {
        let raw = try GoldenRawCase.load(identifier)
        #expect(raw.boxesAreOffsets)
        let fullModel = raw.model.replacingOccurrences(of: "-without-postprocessing", with: "")
            .replacingOccurrences(of: "-simplified", with: "")
        let full = try GoldenRawCase.load("\(fullModel)/\(raw.image)")
        #expect(!full.boxesAreOffsets)
        let decoded = raw.corners
        #expect(decoded.count == full.boxes.count)
        let worst = zip(decoded, full.boxes).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6, "max |diff| \(worst)")
    }
}
