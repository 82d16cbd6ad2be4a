import FaceStreamApp
import TestSupport
import Testing
import V4L2Capture

/// The camera option rules shared by `detect --camera-*` and the `camera_*` keys.
@Suite struct CameraOptionParserTests {
    @Test func acceptedValues() throws {
        let size = try CameraOptionParser.size("1920X1080")
        #expect(size.width == 1920 && size.height == 1080)
        #expect(try CameraOptionParser.pixelFormat("AUTO") == .automatic)
        #expect(try CameraOptionParser.pixelFormat("mjpeg") == .forced(.mjpeg))
        #expect(try CameraOptionParser.pixelFormat("rgb3") == .forced(.rgb24))
        #expect(try CameraOptionParser.framesPerSecond(1000) == 1000)
        #expect(try CameraOptionParser.bufferCount(32) == 32)
        #expect(try CameraOptionParser.frameTimeout(seconds: 0.25) == .milliseconds(250))
    }

    @Test(arguments: ["1280", "1280x", "x720", "15x720", "1280x16385", "1280x720x2", "wide x tall", ""])
    func badSizes(_ text: String) {
        #expect(throws: CameraOptionParser.Rejection.self) { try CameraOptionParser.size(text) }
    }

    @Test func badNumbersAndFormats() {
        #expect(throws: CameraOptionParser.Rejection.self) { try CameraOptionParser.pixelFormat("H264") }
        #expect(throws: CameraOptionParser.Rejection.self) { try CameraOptionParser.framesPerSecond(0) }
        #expect(throws: CameraOptionParser.Rejection.self) { try CameraOptionParser.framesPerSecond(1000.5) }
        #expect(throws: CameraOptionParser.Rejection.self) { try CameraOptionParser.bufferCount(0) }
        #expect(throws: CameraOptionParser.Rejection.self) { try CameraOptionParser.bufferCount(33) }
        #expect(throws: CameraOptionParser.Rejection.self) { try CameraOptionParser.frameTimeout(seconds: 0) }
        #expect(throws: CameraOptionParser.Rejection.self) { try CameraOptionParser.frameTimeout(seconds: 3601) }
    }

    @Test func theCommandLineAndTheConfigurationSayTheSame() throws {
        let fixtures = try DaemonFixtures()
        let cli = try FaceStreamBinary.run(["detect", "--camera-size", "1280", "/dev/video99"])
        #expect(cli.status == 64)
        #expect(
            cli.stderr.contains("--camera-size must look like 1280x720 (each side 16...16384), got 1280"),
            "\(cli.stderr)")
        let buffers = try FaceStreamBinary.run(["detect", "--camera-buffers", "40", "/dev/video99"])
        #expect(buffers.status == 64)
        #expect(buffers.stderr.contains("--camera-buffers must be between 1 and 32, got 40"), "\(buffers.stderr)")
        let config = try fixtures.writeConfig(
            fixtures.stream("cam", source: "/dev/video99", extra: "camera_size = \"1280\"\ncamera_buffers = 40"))
        let checked = try FaceStreamBinary.run(["check-config", config])
        #expect(checked.status == 78)
        #expect(
            checked.stderr.contains(
                ":7: stream \"cam\": camera_size must look like 1280x720 (each side 16...16384), got \"1280\""))
        #expect(checked.stderr.contains(":8: stream \"cam\": camera_buffers must be between 1 and 32, got 40"))
    }
}
