import Testing
import V4L2Capture

@Suite struct V4L2FormatChooserTests {
    typealias Format = CameraDescription.Format
    typealias Size = CameraDescription.Size

    /// A typical UVC webcam: YUYV is slow at 720p (USB 2 bandwidth), MJPEG is fast everywhere.
    let webcam: [Format] = [
        Format(
            pixelFormat: "YUYV", description: "YUYV 4:2:2", compressed: false, supported: true,
            sizes: [
                Size(width: 640, height: 480, framesPerSecond: [30, 15]),
                Size(width: 1280, height: 720, framesPerSecond: [10, 5]),
            ], sizeRange: false),
        Format(
            pixelFormat: "MJPG", description: "Motion-JPEG", compressed: true, supported: true,
            sizes: [
                Size(width: 640, height: 480, framesPerSecond: [30, 15]),
                Size(width: 1280, height: 720, framesPerSecond: [30, 15]),
            ], sizeRange: false),
        Format(
            pixelFormat: "H264", description: "H.264", compressed: true, supported: false,
            sizes: [Size(width: 1920, height: 1080, framesPerSecond: [30])], sizeRange: false),
    ]

    func choice(_ request: CameraFormatRequest, _ formats: [Format]? = nil) throws -> CameraFormatChoice {
        try V4L2FormatChooser.choose(request, among: formats ?? webcam).get()
    }

    @Test func defaultIsVGAInYUYVAtTheFastestRate() throws {
        #expect(
            try choice(CameraFormatRequest())
                == CameraFormatChoice(pixelFormat: .yuyv, width: 640, height: 480, framesPerSecond: 30))
    }

    @Test func largeSizesPreferMJPEG() throws {
        let chosen = try choice(CameraFormatRequest(width: 1280, height: 720))
        #expect(chosen == CameraFormatChoice(pixelFormat: .mjpeg, width: 1280, height: 720, framesPerSecond: 30))
    }

    @Test func aForcedFormatIsKeptEvenWhenSlower() throws {
        let chosen = try choice(CameraFormatRequest(width: 1280, height: 720, pixelFormat: .forced(.yuyv)))
        #expect(chosen == CameraFormatChoice(pixelFormat: .yuyv, width: 1280, height: 720, framesPerSecond: 10))
    }

    @Test func theClosestOfferedSizeAndRateAreUsed() throws {
        let chosen = try choice(CameraFormatRequest(width: 800, height: 600, framesPerSecond: 14))
        #expect(chosen == CameraFormatChoice(pixelFormat: .yuyv, width: 640, height: 480, framesPerSecond: 15))
    }

    @Test func aFormatReachingTheRequestedRateWinsAtEqualSize() throws {
        var slowYUYV = webcam
        slowYUYV[0].sizes[0].framesPerSecond = [15, 5]
        let chosen = try choice(CameraFormatRequest(framesPerSecond: 30), slowYUYV)
        #expect(chosen.pixelFormat == .mjpeg)
        #expect(chosen.framesPerSecond == 30)
    }

    @Test func sizeRangesTakeTheRequestClamped() throws {
        let ranged = [
            Format(
                pixelFormat: "YUYV", description: "", compressed: false, supported: true,
                sizes: [
                    Size(width: 48, height: 32, framesPerSecond: [30]),
                    Size(width: 1920, height: 1080, framesPerSecond: [30]),
                ],
                sizeRange: true)
        ]
        #expect(try choice(CameraFormatRequest(width: 800, height: 600), ranged).width == 800)
        #expect(try choice(CameraFormatRequest(width: 4000, height: 3000), ranged).height == 1080)
    }

    @Test func aDriverListingNoSizesGetsTheRequest() throws {
        let bare = [
            Format(pixelFormat: "MJPG", description: "", compressed: true, supported: true, sizes: [], sizeRange: false)
        ]
        let chosen = try choice(CameraFormatRequest(width: 320, height: 240, framesPerSecond: 10), bare)
        #expect(chosen == CameraFormatChoice(pixelFormat: .mjpeg, width: 320, height: 240, framesPerSecond: 10))
    }

    @Test func aForcedFormatTheCameraLacksFails() {
        let result = V4L2FormatChooser.choose(CameraFormatRequest(pixelFormat: .forced(.rgb24)), among: webcam)
        guard case .failure(let failure) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(failure.message.contains("RGB3"))
        #expect(failure.message.contains("YUYV, MJPG, H264"))
    }

    @Test func onlyUnconvertibleFormatsFail() {
        let result = V4L2FormatChooser.choose(CameraFormatRequest(), among: [webcam[2]])
        #expect(throws: V4L2FormatChooser.ChoiceFailure.self) { try result.get() }
    }
}
