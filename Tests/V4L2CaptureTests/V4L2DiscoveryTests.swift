import Foundation
import Testing
import V4L2Capture

@Suite struct V4L2DiscoveryTests {
    /// A folder without video nodes (this machine's /dev has none either) lists nothing, and that is
    /// not an error.
    @Test func noCamerasIsAnEmptyListing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(V4L2Discovery.scan(devDirectory: directory.path) == V4L2Discovery.Listing(cameras: [], problems: []))
    }

    /// `video0` that is not a V4L2 device (ENOTTY) is skipped silently; names that are not
    /// `videoN` are never opened.
    @Test func nodesThatAreNotCamerasAreLeftOut() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["video0", "video12", "videoX", "media0"] {
            try Data("x".utf8).write(to: directory.appendingPathComponent(name))
        }
        let listing = V4L2Discovery.scan(devDirectory: directory.path)
        #expect(listing.cameras.isEmpty)
        #expect(listing.problems.isEmpty)
    }

    /// This machine (CI, the build host) has no camera: the real /dev scan is empty too.
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/dev/video0")))
    func theHostHasNoCameras() {
        #expect(V4L2Discovery.scan().cameras.isEmpty)
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("v4l2-discovery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
