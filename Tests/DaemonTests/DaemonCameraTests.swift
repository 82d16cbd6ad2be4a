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

    /// A stream waiting for its camera holds one thread and no pipeline: twelve missing cameras
    /// add twelve threads, not five each (source, dispatch, workers) as before.
    @Test func waitingStreamsAreCheap() throws {
        let devices = (80..<92).map { "/dev/video\($0)" }
        try #require(devices.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            devices.enumerated().map { fixtures.stream("cam\($0.offset)", source: $0.element) }.joined())
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(Dictionary(uniqueKeysWithValues: devices.indices.map { ("cam\($0)", "waiting") }))
        let status = try String(contentsOfFile: "/proc/\(daemon.process.processIdentifier)/status", encoding: .utf8)
        let threads =
            Int(
                status.split(separator: "\n").first { $0.hasPrefix("Threads:") }?.split(separator: "\t").last ?? "")
            ?? 0
        // One per stream, plus the process's own (main, signals, dispatch, the concurrency pool).
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(threads > 0 && threads <= devices.count + 12 + cores, "\(threads) threads")
        daemon.signal(SIGTERM)
        let (exit, stderr) = daemon.waitForExit()
        #expect(exit == 0, "\(stderr.suffix(300))")
    }
}
