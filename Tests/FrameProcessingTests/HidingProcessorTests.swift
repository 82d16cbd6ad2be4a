import FrameProcessing
import Testing
import VideoCore

/// The hiding processors on scripted detections: the hold of tracked faces, the hide threshold,
/// the removal of track ids a user did not ask for, the ignore zones, and the hold-over between
/// analysed frames.
struct HidingProcessorTests {
    static func face(_ x: Float, _ y: Float = 20, side: Float = 40, score: Float = 0.95) -> Detection {
        Detection(
            box: BoundingBox(x1: x, y1: y, x2: x + side, y2: y + side), score: score, classIndex: 1, label: "face")
    }

    /// Runs `frames` at 10 fps through `chain`; returns each frame as it comes out.
    static func run(_ chain: inout ProcessorChain, _ frames: [[Detection]?]) -> [FrameDetections] {
        let image = RGBImage(width: 200, height: 100, pixels: [UInt8](repeating: 0, count: 200 * 100 * 3))
        return frames.enumerated().map { index, faces in
            var frame = FrameDetections(
                frame: VideoFrame(image: image, index: index, pts: Double(index) / 10), sequence: index, faces: faces)
            chain.process(&frame)
            return frame
        }
    }

    static func chain(hold: Duration, reportsTracks: Bool = false, every: Bool = false) -> ProcessorChain {
        .standard(
            minimumFaceSize: nil, tracking: TrackerSettings(reportThreshold: 0.7),
            hiding: HidingSettings(hold: hold, hideThreshold: 0.5, reportsTracks: reportsTracks))
    }

    @Test func aMissedFaceStaysHiddenAtItsPredictedPlaceForTheHold() throws {
        // A face moving 4 px a frame, missed in frames 5...9, then found again; then gone for good.
        var frames: [[Detection]?] = (0..<5).map { [Self.face(Float($0) * 4)] }
        frames += Array(repeating: [], count: 5)
        frames += (10..<12).map { [Self.face(Float($0) * 4)] }
        frames += Array(repeating: [], count: 15)
        var chain = Self.chain(hold: .milliseconds(1000))
        let out = Self.run(&chain, frames)
        // Missed frames: one shown face near where the face would be (x = 4 * frame).
        for index in 5..<10 {
            let shown = try #require(out[index].shownFaces.first, "frame \(index)")
            #expect(out[index].shownFaces.count == 1)
            #expect(abs(shown.box.x1 - Float(index) * 4) < 6, "frame \(index): \(shown.box)")
            #expect(out[index].faces == [])
        }
        // After the last detection (frame 11 at 1.1 s) the hold lasts 1 s: up to frame 21.
        #expect((12...21).allSatisfy { out[$0].shownFaces.count == 1 })
        #expect((22..<27).allSatisfy { out[$0].shownFaces.isEmpty })
        // Without hold the missed frames show nothing.
        var none = Self.chain(hold: .zero)
        let bare = Self.run(&none, frames)
        #expect((5..<10).allSatisfy { bare[$0].shownFaces.isEmpty })
    }

    @Test func framesBetweenAnalysedOnesGetPredictedBoxes() throws {
        // Analysed every 3rd frame; the face moves 6 px a frame.
        let frames: [[Detection]?] = (0..<12).map { $0 % 3 == 0 ? [Self.face(Float($0) * 6)] : nil }
        var chain = Self.chain(hold: .milliseconds(1000))
        let out = Self.run(&chain, frames)
        for index in [7, 8, 10, 11] {
            let shown = try #require(out[index].shownFaces.first, "frame \(index)")
            #expect(out[index].shownFaces.count == 1, "frame \(index)")
            // The prediction moves with the face; the plain hold-over would stay at the last box.
            #expect(abs(shown.box.x1 - Float(index) * 6) < 6, "frame \(index): \(shown.box)")
            #expect(out[index].faces == nil)
        }
    }

    @Test func facesAboveTheHideThresholdAreHiddenButNotReported() {
        let frames: [[Detection]?] = [[Self.face(10, score: 0.6), Self.face(120, score: 0.4)]]
        var chain = Self.chain(hold: .milliseconds(1000))
        let out = Self.run(&chain, frames)
        #expect(out[0].faces == [])
        #expect(out[0].shownFaces.map(\.box.x1) == [10])
    }

    @Test func trackIdsAndEventsStayOutUnlessAsked() {
        let frames: [[Detection]?] = (0..<4).map { [Self.face(Float($0) * 4)] } + [[]]
        var hidden = Self.chain(hold: .zero)
        let plain = Self.run(&hidden, frames)
        #expect(plain.allSatisfy { $0.faces?.allSatisfy { $0.track == nil } ?? true })
        #expect(plain.allSatisfy { $0.events.isEmpty })
        #expect(hidden.finish().isEmpty)
        var tracked = Self.chain(hold: .zero, reportsTracks: true)
        let labelled = Self.run(&tracked, frames)
        #expect(labelled[1].faces?.first?.track == 1)
        #expect(labelled[1].events.count == 1)
        #expect(tracked.finish().count == 1)
    }

    @Test func ignoreZonesDropFacesCentredInside() throws {
        // Frame 200x100; the zone is the right half. A face centred at x = 20 stays, one at x = 140
        // goes, one straddling the edge counts by its centre (x = 95: kept).
        let zone = try Zone(parsing: "50%,0 100%,0 100%,100% 50%,100%")
        var chain = ProcessorChain.standard(minimumFaceSize: nil, ignoreZones: [zone])
        let out = Self.run(&chain, [[Self.face(0), Self.face(120), Self.face(75)]])
        #expect(out[0].faces?.map(\.box.x1) == [0, 75])
        #expect(out[0].shownFaces.map(\.box.x1) == [0, 75])
    }
}
