import Foundation
import Logging
import Synchronization
import Testing
import V4L2Capture
import VideoCore

@Suite struct V4L2CameraTests {
    let logger = Logger(label: "test")

    /// A missing device is waited for with the policy's back-off; `stop()` (here from the sleeper,
    /// after three waits) ends `next()` with `.end`, nothing counted as lost.
    @Test func aMissingDeviceIsWaitedForUntilStopped() throws {
        let missing = "/dev/v4l/by-id/facestream-test-no-such-camera-\(UUID().uuidString)"
        let sleeper = StoppingSleeper(after: 3)
        let options = V4L2CameraOptions(
            reconnect: ReconnectPolicy(initialDelay: .milliseconds(100), factor: 2, maximumDelay: .milliseconds(300)),
            sleeper: sleeper)
        let camera = V4L2Camera(device: missing, options: options, logger: logger)
        sleeper.camera = camera
        guard case .end = try camera.next() else {
            Issue.record("a missing camera must not produce frames")
            return
        }
        #expect(sleeper.delays == [.milliseconds(100), .milliseconds(200), .milliseconds(300)])
        #expect(camera.statistics == SourceStatistics())
        #expect(camera.format == nil)
        #expect(camera.pacing == .live)
    }

    /// With a bounded policy the wait ends in an error naming the device.
    @Test func aBoundedPolicyGivesUpWithTheDeviceInTheError() {
        let missing = "/dev/video-facestream-test-\(UUID().uuidString)"
        let options = V4L2CameraOptions(
            reconnect: ReconnectPolicy(maximumAttempts: 2), sleeper: StoppingSleeper(after: 100))
        let camera = V4L2Camera(device: missing, options: options, logger: logger)
        #expect {
            _ = try camera.next()
        } throws: { error in
            guard let error = error as? V4L2Error else { return false }
            return error.kind == .noDevice && error.device == missing && error.description.contains("2 retries")
        }
    }

    /// A file that is not a V4L2 device fails at once (VIDIOC_QUERYCAP: ENOTTY), no waiting.
    @Test func aNonCameraFailsAtOnce() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-camera-\(UUID().uuidString)")
        try Data("hello".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let sleeper = StoppingSleeper(after: 100)
        let camera = V4L2Camera(device: file.path, options: V4L2CameraOptions(sleeper: sleeper), logger: logger)
        #expect {
            _ = try camera.next()
        } throws: { error in
            (error as? V4L2Error).map { $0.kind == .notACamera && $0.operation == "VIDIOC_QUERYCAP" } ?? false
        }
        #expect(sleeper.delays.isEmpty)
    }

    /// `stop()` before `next()` ends it without touching the device.
    @Test func stopBeforeNextEnds() throws {
        let camera = V4L2Camera(device: "/dev/video-none", logger: logger)
        camera.stop()
        camera.stop()
        guard case .end = try camera.next() else {
            Issue.record("expected .end after stop()")
            return
        }
    }
}

/// Records the delays asked for and stops the camera after `limit` of them (no real waiting).
final class StoppingSleeper: BackoffSleeper, @unchecked Sendable {
    private let state = Mutex<[Duration]>([])
    let limit: Int
    nonisolated(unsafe) weak var camera: V4L2Camera?

    init(after limit: Int) { self.limit = limit }

    var delays: [Duration] { state.withLock { $0 } }

    func sleep(for delay: Duration, unlessFired stop: StopSignal) {
        let count = state.withLock { delays in
            delays.append(delay)
            return delays.count
        }
        if count >= limit { camera?.stop() }
    }
}
