import FrameProcessing
import Testing
import VideoCore

/// The standard in-order processors on scripted frames: minimum size, then hold-over.
struct ProcessorChainTests {
    static func face(side: Float, score: Float = 0.9) -> Detection {
        Detection(
            box: BoundingBox(x1: 10, y1: 20, x2: 10 + side, y2: 20 + side), score: score, classIndex: 1, label: "face")
    }

    static func frame(_ sequence: Int, faces: [Detection]?) -> FrameDetections {
        let image = RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 12))
        return FrameDetections(
            frame: VideoFrame(image: image, index: sequence, pts: nil), sequence: sequence, faces: faces)
    }

    /// Runs `frames` through `chain` in order and returns what comes out.
    static func run(_ chain: inout ProcessorChain, _ frames: [FrameDetections]) -> [FrameDetections] {
        frames.map { frame in
            var frame = frame
            chain.process(&frame)
            return frame
        }
    }

    @Test func minimumSizeDropsSmallFaces() {
        var filter = MinimumFaceSizeFilter(minimumSide: 25)
        var frame = Self.frame(0, faces: [Self.face(side: 24), Self.face(side: 25), Self.face(side: 40)])
        filter.process(&frame)
        #expect(frame.faces?.map(\.box.width) == [25, 40])
        #expect(frame.shownFaces.map(\.box.width) == [25, 40])
        var skipped = Self.frame(1, faces: nil)
        filter.process(&skipped)
        #expect(skipped.faces == nil)
    }

    @Test func aFaceMustBeWideAndTallEnough() {
        var filter = MinimumFaceSizeFilter(minimumSide: 30)
        let wide = Detection(box: BoundingBox(x1: 0, y1: 0, x2: 50, y2: 20), score: 0.9, classIndex: 1, label: "face")
        var frame = Self.frame(0, faces: [wide])
        filter.process(&frame)
        #expect(frame.faces == [])
    }

    @Test func holdOverShowsTheLastAnalysedFacesOnFramesInBetween() {
        var chain = ProcessorChain.standard(minimumFaceSize: nil)
        let first = [Self.face(side: 30)]
        let second = [Self.face(side: 50), Self.face(side: 60)]
        let out = Self.run(
            &chain,
            [
                Self.frame(0, faces: nil), Self.frame(1, faces: first), Self.frame(2, faces: nil),
                Self.frame(3, faces: nil), Self.frame(4, faces: second), Self.frame(5, faces: nil),
                Self.frame(6, faces: []), Self.frame(7, faces: nil),
            ])
        #expect(out.map(\.shownFaces.count) == [0, 1, 1, 1, 2, 2, 0, 0])
        #expect(out[3].shownFaces == first)
        #expect(out[5].shownFaces == second)
        // The frames' own faces are left alone: JSON lines still tell analysed frames apart.
        #expect(out.map(\.isAnalyzed) == [false, true, false, false, true, false, true, false])
    }

    @Test func heldBoxesAreTheFilteredOnes() {
        var chain = ProcessorChain.standard(minimumFaceSize: 40)
        let out = Self.run(
            &chain, [Self.frame(0, faces: [Self.face(side: 20), Self.face(side: 45)]), Self.frame(1, faces: nil)])
        #expect(out[0].faces?.map(\.box.width) == [45])
        #expect(out[1].shownFaces.map(\.box.width) == [45])
    }

    @Test func eachRunHasItsOwnState() {
        var first = ProcessorChain.standard(minimumFaceSize: nil)
        _ = Self.run(&first, [Self.frame(0, faces: [Self.face(side: 30)])])
        var second = ProcessorChain.standard(minimumFaceSize: nil)
        let out = Self.run(&second, [Self.frame(0, faces: nil)])
        #expect(out[0].shownFaces.isEmpty)
    }
}
