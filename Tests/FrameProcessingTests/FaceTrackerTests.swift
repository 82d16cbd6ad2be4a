import FrameProcessing
import Testing
import VideoCore

/// The tracker on scripted detections: faces moving along known paths, crossing, dipping below
/// the threshold, hidden for a while; time from the frames' timestamps.
struct FaceTrackerTests {
    static func face(_ x: Float, _ y: Float, side: Float = 40, score: Float = 0.95) -> Detection {
        Detection(
            box: BoundingBox(x1: x, y1: y, x2: x + side, y2: y + side), score: score, classIndex: 1, label: "face")
    }

    /// Runs `frames` (faces per analysed frame, nil for a frame not analysed) at `fps` through a
    /// tracker and returns the track ids of the reported faces, frame by frame.
    static func run(
        _ frames: [[Detection]?], fps: Double = 10, settings: TrackerSettings = TrackerSettings(reportThreshold: 0.7)
    ) -> (ids: [[Int?]], shown: [Int], tracker: FaceTracker) {
        var tracker = FaceTracker(settings: settings)
        var ids: [[Int?]] = []
        var shown: [Int] = []
        let image = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
        for (index, faces) in frames.enumerated() {
            var frame = FrameDetections(
                frame: VideoFrame(image: image, index: index, pts: Double(index) / fps), sequence: index, faces: faces)
            tracker.process(&frame)
            ids.append(frame.faces?.map(\.track) ?? [])
            shown.append(frame.shownFaces.count)
        }
        return (ids, shown, tracker)
    }

    @Test func aMovingFaceKeepsOneIdConfirmedAfterTwoHits() {
        let frames: [[Detection]?] = (0..<30).map { [Self.face(Float($0) * 8, 50)] }
        let ids = Self.run(frames).ids
        #expect(ids[0] == [nil], "tentative until its second match")
        #expect(ids.dropFirst().allSatisfy { $0 == [1] })
    }

    @Test func twoFacesOnParallelPathsNeverSwap() {
        let frames: [[Detection]?] = (0..<40).map { step in
            [Self.face(Float(step) * 6, 20), Self.face(300 - Float(step) * 6, 200)]
        }
        let ids = Self.run(frames).ids
        #expect(ids.dropFirst().allSatisfy { $0 == [1, 2] })
    }

    @Test func facesCrossingKeepTheirIdsThroughTheCrossing() {
        // One moves right, the other left, on the same row, and they overlap mid-way.
        let frames: [[Detection]?] = (0..<40).map { step in
            [Self.face(Float(step) * 10, 100), Self.face(400 - Float(step) * 10, 106)]
        }
        let ids = Self.run(frames).ids
        // The detector lists faces in its own order; follow each face by its x: the left-starting
        // face moves right and must keep the id it started with.
        #expect(ids[1] == [1, 2] && ids[39] == [1, 2], "\(ids)")
        let switches = zip(ids.dropFirst(), ids.dropFirst(2)).filter { $0 != $1 }.count
        #expect(switches <= 1, "at most one id switch at the crossing: \(ids)")
    }

    @Test func aFaceDippingBelowTheThresholdKeepsItsIdAndIsShownNotReported() {
        var frames: [[Detection]?] = (0..<20).map { [Self.face(Float($0) * 5, 50)] }
        for step in 8..<12 { frames[step] = [Self.face(Float(step) * 5, 50, score: 0.5)] }
        let (ids, shown, _) = Self.run(frames, settings: TrackerSettings(reportThreshold: 0.7, lowThreshold: 0.3))
        #expect(ids[8..<12].allSatisfy { $0.isEmpty }, "low faces are not reported")
        #expect(shown[8..<12].allSatisfy { $0 == 1 }, "but they are shown (hidden when anonymising)")
        #expect(ids[12] == [1] && ids[19] == [1], "the same id after the dip")
    }

    @Test func aFaceHiddenShorterThanMaxAgeKeepsItsIdLongerGetsANewOne() {
        // 10 fps; hidden 0.5 s (< 1 s) then 1.5 s (> 1 s).
        var frames: [[Detection]?] = (0..<60).map { [Self.face(100 + Float($0), 80)] }
        for step in 10..<15 { frames[step] = [] }
        for step in 30..<45 { frames[step] = [] }
        let ids = Self.run(frames).ids
        #expect(ids[16] == [1], "\(ids[16])")
        #expect(ids[46] == [2], "a new track after the long gap: \(ids[46])")
        #expect(ids[45] == [nil], "tentative again for one frame")
    }

    @Test func aFacePassingBehindAnotherKeepsItsIdWhenItComesOut() {
        // 25 fps. A moves right 4 px a frame; from frame 20 B's crop covers more and more of it
        // (its box shrinks from the right, the centre stalls), frames 24-33 it is hidden, then it
        // comes out ahead of where its drifted track predicts (no IoU with the prediction).
        var frames: [[Detection]?] = []
        for step in 0..<45 {
            let x = 100 + Float(step) * 4
            var faces: [Detection] = []
            switch step {
            case 20..<24:
                let visible = 60 - Float(step - 19) * 6
                faces.append(
                    Detection(
                        box: BoundingBox(x1: x, y1: 50, x2: x + visible, y2: 130), score: 0.95, classIndex: 1,
                        label: "face"))
            case 24..<34: break
            default: faces.append(Self.face(x, 50, side: 60))
            }
            frames.append(faces)
        }
        let ids = Self.run(frames, fps: 25).ids
        #expect(ids[34] == [1] && ids[44] == [1], "\(ids[30...])")
    }

    @Test func aLostTrackIsNotFoundAgainFarAwayOrAtAnotherSize() {
        // A face is seen, then gone; two faces come 0.2 s later: one at twice the distance of its
        // size from where the track was, one in the same place but three times as tall.
        var frames: [[Detection]?] = (0..<10).map { _ in [Self.face(100, 100, side: 40)] }
        frames += [[], [], [], [], []]
        frames += (0..<3).map { _ in [Self.face(180, 100, side: 40), Self.face(90, 40, side: 120)] }
        let ids = Self.run(frames, fps: 25).ids
        #expect(ids[15] == [nil, nil] && ids[16] == [2, 3], "\(ids[15...])")
    }

    @Test(arguments: [10.0, 30.0])
    func maxAgeIsStreamTimeWhateverTheFrameRate(fps: Double) {
        // Seconds of stream time, not frames: a 0.8 s gap keeps the id and a 1.5 s gap does not,
        // at 10 and at 30 frames per second alike.
        let frameCount = Int(6 * fps)
        var frames: [[Detection]?] = (0..<frameCount).map { [Self.face(50 + Float($0) * 10 / Float(fps), 50)] }
        for step in Int(1 * fps)..<Int(1.8 * fps) { frames[step] = [] }
        for step in Int(3 * fps)..<Int(4.5 * fps) { frames[step] = [] }
        let ids = Self.run(frames, fps: fps).ids
        #expect(ids[Int(2 * fps)] == [1], "after 0.8 s hidden")
        #expect(ids[Int(5 * fps)] == [2], "after 1.5 s hidden")
    }

    @Test func analysingEveryFifthFrameAgesTracksByTime() {
        // Analysed at 0.0, 0.5, 1.0 ... s: a face visible throughout keeps one id.
        var frames: [[Detection]?] = (0..<50).map { [Self.face(50 + Float($0), 50)] }
        for step in frames.indices where step % 5 != 0 { frames[step] = nil }
        let ids = Self.run(frames).ids
        #expect(ids.enumerated().allSatisfy { $0.offset < 5 || $0.offset % 5 != 0 || $0.element == [1] }, "\(ids)")
    }

    @Test func idsAreNeverReusedAndTimeGoingBackStartsAfresh() {
        var tracker = FaceTracker(settings: TrackerSettings(reportThreshold: 0.7, minimumHits: 1))
        let image = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
        var seen: [Int] = []
        for (index, pts) in [0.0, 0.1, 5.0, 5.1, 0.0, 0.1].enumerated() {
            var frame = FrameDetections(
                frame: VideoFrame(image: image, index: index, pts: pts), sequence: index, faces: [Self.face(10, 10)])
            tracker.process(&frame)
            seen += frame.faces?.compactMap(\.track) ?? []
        }
        #expect(seen == [1, 1, 2, 2, 3, 3])
    }

    @Test func unanalysedFramesAreLeftAlone() {
        let frames: [[Detection]?] = [[Self.face(0, 0)], nil, [Self.face(2, 0)], nil]
        let ids = Self.run(frames).ids
        #expect(ids == [[nil], [], [1], []])
    }
}

/// The tracker's events: `appeared` at confirmation, `left` when a track ends (age, a new time
/// line, or the end of the run), with first, last and best sightings.
struct FaceTrackerEventTests {
    @Test func appearedAtConfirmationLeftAfterMaxAgeAndAtTheEnd() {
        var tracker = FaceTracker(settings: TrackerSettings(reportThreshold: 0.7, maximumAge: .milliseconds(500)))
        let image = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
        var events: [(frame: Int, kind: TrackEvent.Kind, track: Int, latest: Int)] = []
        // Face A in frames 0...9, gone after; face B from frame 12 to the end (frame 19).
        for index in 0..<20 {
            var faces: [Detection] = []
            if index < 10 { faces.append(FaceTrackerTests.face(Float(index) * 4, 10, score: index == 6 ? 0.99 : 0.9)) }
            if index >= 12 { faces.append(FaceTrackerTests.face(300, 200)) }
            var frame = FrameDetections(
                frame: VideoFrame(image: image, index: index, pts: Double(index) / 10), sequence: index, faces: faces)
            tracker.process(&frame)
            events += frame.events.map { (index, $0.kind, $0.track, $0.latest.frame) }
        }
        let closing = tracker.finish()
        #expect(events.map(\.frame) == [1, 13, 15])
        #expect(events.map(\.kind) == [.appeared, .appeared, .left])
        #expect(events.map(\.track) == [1, 2, 1])
        #expect(events[2].latest == 9, "left names the last matched frame")
        #expect(closing.map(\.kind) == [.left] && closing.map(\.track) == [2])
        let last = closing[0]
        #expect(last.first.frame == 12 && last.latest.frame == 19 && last.frames == 8)
        #expect(tracker.finish().isEmpty, "each track leaves once")
    }

    @Test func theBestSightingHasTheHighestScore() {
        var tracker = FaceTracker(settings: TrackerSettings(reportThreshold: 0.7, minimumHits: 1))
        let image = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
        for (index, score) in [Float(0.8), 0.95, 0.9].enumerated() {
            var frame = FrameDetections(
                frame: VideoFrame(image: image, index: index, pts: Double(index) / 10), sequence: index,
                faces: [FaceTrackerTests.face(10, 10, score: score)])
            tracker.process(&frame)
        }
        #expect(tracker.finish().first?.best.frame == 1)
    }
}
