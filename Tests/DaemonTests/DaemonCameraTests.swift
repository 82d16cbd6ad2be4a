import Foundation
import TestSupport
import Testing

/// Camera streams without a camera: the daemon waits for the device instead of exiting.
@Suite struct DaemonCameraTests {
    @Test func aMissingCameraIsWaitedForUntilSIGTERM() throws {
        let device = "/dev/video99"
        try #require(!FileManager.default.fileExists(atPath: device), "\(device) exists on this machine")
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            fixtures.stream("cam", source: device, extra: "camera_size = \"1280x720\"\ncamera_format = \"MJPG\""))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForNotification { $0.split(separator: "\n").contains("READY=1") }
        try daemon.waitForStatus(["cam": "waiting"])
        #expect(daemon.process.isRunning)
        daemon.signal(SIGTERM)
        try daemon.waitForNotification { $0.contains("STOPPING=1") }
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "stderr: \(stderr)")
        #expect(stderr.contains("waiting for camera \(device)"))
        #expect(try fixtures.records("cam").isEmpty)
    }
}
